package dev.fastembed.reliability;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded structural mutations of a JSON document, for fuzzing loaders of configuration files: a value
 * deleted, given another type, emptied, or replaced by a boundary value. Big objects and arrays (a
 * vocabulary) are entered at their first few members only, so mutations hit the structure.
 */
final class JsonMutator {

    private JsonMutator() {
    }

    static String mutate(String json, Random random, int count) {
        JsonElement root = JsonParser.parseString(json);
        for (int i = 0; i < count; i++) {
            List<Slot> slots = new ArrayList<>();
            collect(root, slots);
            if (!slots.isEmpty()) {
                slots.get(random.nextInt(slots.size())).replace(replacement(random));
            }
        }
        return root.toString();
    }

    /** A place holding a value: a member of an object or an element of an array. */
    private record Slot(JsonElement parent, String key, int index) {
        void replace(JsonElement value) {
            if (parent instanceof JsonObject object) {
                if (value == null) {
                    object.remove(key);
                } else {
                    object.add(key, value);
                }
            } else if (parent instanceof JsonArray array) {
                if (value == null) {
                    array.remove(index);
                } else {
                    array.set(index, value);
                }
            }
        }
    }

    private static void collect(JsonElement element, List<Slot> slots) {
        if (element instanceof JsonObject object) {
            int seen = 0;
            for (Map.Entry<String, JsonElement> member : object.entrySet()) {
                if (object.size() > 64 && seen++ >= 3) {
                    break;
                }
                slots.add(new Slot(object, member.getKey(), -1));
                collect(member.getValue(), slots);
            }
        } else if (element instanceof JsonArray array) {
            for (int i = 0; i < Math.min(3, array.size()); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    /** A replacement value; null deletes the slot. */
    private static JsonElement replacement(Random random) {
        return switch (random.nextInt(12)) {
            case 0, 1 -> null;
            case 2 -> JsonNull.INSTANCE;
            case 3 -> new JsonPrimitive(true);
            case 4 -> new JsonPrimitive(-1);
            case 5 -> new JsonPrimitive(Long.MAX_VALUE);
            case 6 -> new JsonPrimitive(1.5);
            case 7 -> new JsonPrimitive("");
            case 8 -> new JsonPrimitive("x".repeat(10_000));
            case 9 -> new JsonArray();
            case 10 -> new JsonObject();
            default -> new JsonPrimitive("\u0000\uFFFF");
        };
    }
}
