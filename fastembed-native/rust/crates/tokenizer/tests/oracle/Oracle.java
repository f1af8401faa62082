// Test oracle: encodes JSON lines (a string, or [a, b] for a pair) from stdin with the real
// Hugging Face tokenizers (through DJL) and prints one JSON object per line.
// Usage: java -cp <djl jars> Oracle.java tokenizer.json [djlOption=value ...]
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

public class Oracle {
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            options.put(kv[0], kv[1]);
        }
        boolean addSpecialTokens = Boolean.parseBoolean(options.getOrDefault("addSpecialTokens", "true"));
        Gson gson = new Gson();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(Paths.get(args[0]), options);
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
            String line;
            while ((line = in.readLine()) != null) {
                JsonElement input = JsonParser.parseString(line);
                Encoding e = input.isJsonArray()
                        ? tokenizer.encode(input.getAsJsonArray().get(0).getAsString(),
                                input.getAsJsonArray().get(1).getAsString(), addSpecialTokens, false)
                        : tokenizer.encode(input.getAsString(), addSpecialTokens, false);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("ids", e.getIds());
                result.put("type_ids", e.getTypeIds());
                result.put("special", e.getSpecialTokenMask());
                result.put("attn", e.getAttentionMask());
                out.println(gson.toJson(result));
            }
            out.flush();
        }
    }
}
