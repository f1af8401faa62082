package dev.fastembed.spring.autoconfigure;

import dev.fastembed.catalog.EditDistance;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every valid key under {@code fastembed.*}, read from the properties classes by reflection, so that a mistyped
 * key (e.g. {@code fastembed.models.mini.polling}) stops startup naming the closest valid one instead of being
 * ignored. Spring Boot's configuration metadata cannot describe the properties of a map entry
 * ({@code fastembed.models.<name>.*}); {@link #properties()} lists them all, for the README's reference table.
 */
public final class FastEmbedPropertyKeys {

    /** Written in place of a map key, e.g. {@code fastembed.models.<name>.pooling}. */
    public static final String MAP_KEY = "<name>";

    /** The Spring AI adapters' properties, in the starter (which this module does not depend on). */
    private static final String SPRING_AI_PROPERTIES = "dev.fastembed.spring.ai.autoconfigure.FastEmbedSpringAiProperties";

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(FastEmbedProperties.PREFIX);

    /** The engine's own JVM system properties (fastembed.library.path, ...): not Spring properties, not checked. */
    private static final List<ConfigurationPropertyName> ENGINE = List.of(
            ConfigurationPropertyName.of("fastembed.library"), ConfigurationPropertyName.of("fastembed.onnxruntime"),
            ConfigurationPropertyName.of("fastembed.native"));

    /**
     * One property: its full name ({@link #MAP_KEY} for map keys), the field that holds it and its type.
     *
     * @param name  e.g. {@code fastembed.models.<name>.pool.max-wait}
     * @param owner the properties class declaring the field
     * @param field the field
     * @param type  the field's type, generics resolved
     */
    public record Property(String name, Class<?> owner, Field field, ResolvableType type) {
    }

    private sealed interface Node permits Leaf, Group, MapOf {
    }

    private record Leaf(boolean indexed) implements Node {
    }

    private record Group(Map<String, Node> children) implements Node {
    }

    private record MapOf(Node value) implements Node {
    }

    private final Map<String, Group> roots = new LinkedHashMap<>();
    private final List<Property> properties = new ArrayList<>();

    private FastEmbedPropertyKeys(ClassLoader classLoader) {
        add(FastEmbedProperties.PREFIX, FastEmbedProperties.class);
        if (ClassUtils.isPresent(SPRING_AI_PROPERTIES, classLoader)) {
            add(FastEmbedProperties.PREFIX + ".spring-ai", ClassUtils.resolveClassName(SPRING_AI_PROPERTIES, classLoader));
        }
    }

    /** The keys of {@code fastembed.*}, with those of the Spring AI adapters when the starter is present. */
    public static FastEmbedPropertyKeys load(ClassLoader classLoader) {
        return new FastEmbedPropertyKeys(classLoader);
    }

    /** Every leaf property, in declaration order. */
    public List<Property> properties() {
        return List.copyOf(properties);
    }

    /**
     * Fails on the first key under {@code fastembed} that no properties class declares. Environment variables
     * are not checked ({@code FASTEMBED_CACHE_PATH} is the engine's own variable, not a property), nor the engine's
     * system properties ({@code fastembed.library.*}, {@code fastembed.onnxruntime.*}, {@code fastembed.native.*}).
     *
     * @throws InvalidConfigurationPropertyValueException naming the key and the closest valid one
     */
    public void checkKnown(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource
                    || !(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.filter(ROOT::isAncestorOf).stream()
                    .filter(name -> ENGINE.stream().noneMatch(engine -> engine.equals(name) || engine.isAncestorOf(name)))
                    .forEach(name -> {
                if (!isKnown(name)) {
                    Object value = source.getConfigurationProperty(name).getValue();
                    throw new InvalidConfigurationPropertyValueException(name.toString(), value,
                            "No such property" + closest(name).map(c -> "; did you mean " + c + "?").orElse("")
                                    + " Every key under " + FastEmbedProperties.PREFIX + " is checked; the valid ones "
                                    + "are listed in the README's configuration reference");
                }
            });
        }
    }

    /** Whether a name (under {@code fastembed}) is a property, a group of properties or inside a list. */
    boolean isKnown(ConfigurationPropertyName name) {
        Group root = rootOf(name);
        int start = ConfigurationPropertyName.of(rootName(root)).getNumberOfElements();
        Node node = root;
        for (int i = start; i < name.getNumberOfElements(); i++) {
            switch (node) {
                case Group group -> {
                    node = group.children().get(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
                    if (node == null) {
                        return false;
                    }
                }
                case MapOf map -> node = map.value();
                case Leaf leaf -> {
                    return leaf.indexed() && name.isNumericIndex(i);
                }
            }
        }
        return true;
    }

    /** The valid key nearest to a mistyped one (edit distance), with the map keys of the mistyped one. */
    Optional<String> closest(ConfigurationPropertyName name) {
        String wrong = name.toString();
        String mapKey = mapKeyOf(name);
        return properties.stream()
                .map(p -> mapKey == null ? p.name() : p.name().replace(MAP_KEY, mapKey))
                .min(Comparator.comparingInt(candidate -> EditDistance.between(wrong, candidate)));
    }

    private String mapKeyOf(ConfigurationPropertyName name) {
        ConfigurationPropertyName models = ConfigurationPropertyName.of(FastEmbedProperties.PREFIX + ".models");
        if (models.isAncestorOf(name)) {
            return name.getElement(models.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL);
        }
        return null;
    }

    private Group rootOf(ConfigurationPropertyName name) {
        Group best = roots.get(FastEmbedProperties.PREFIX);
        int depth = 0;
        for (Map.Entry<String, Group> root : roots.entrySet()) {
            ConfigurationPropertyName prefix = ConfigurationPropertyName.of(root.getKey());
            if (prefix.isAncestorOf(name) && prefix.getNumberOfElements() > depth) {
                best = root.getValue();
                depth = prefix.getNumberOfElements();
            }
        }
        return best;
    }

    private String rootName(Group group) {
        return roots.entrySet().stream().filter(e -> e.getValue() == group).findFirst().orElseThrow().getKey();
    }

    private void add(String prefix, Class<?> type) {
        roots.put(prefix, group(prefix, ResolvableType.forClass(type)));
    }

    private Group group(String prefix, ResolvableType type) {
        Map<String, Node> children = new LinkedHashMap<>();
        for (Field field : type.resolve().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            String name = dashed(field.getName());
            String fullName = prefix + "." + name;
            ResolvableType fieldType = ResolvableType.forField(field, type);
            children.put(uniform(name), node(fullName, field, fieldType, type.resolve()));
        }
        return new Group(children);
    }

    private Node node(String fullName, Field field, ResolvableType type, Class<?> owner) {
        Class<?> raw = type.toClass();
        if (Map.class.isAssignableFrom(raw)) {
            ResolvableType value = type.asMap().getGeneric(1);
            if (isGroup(value.toClass())) {
                return new MapOf(group(fullName + "." + MAP_KEY, value));
            }
            properties.add(new Property(fullName + "." + MAP_KEY, owner, field, value));
            return new MapOf(new Leaf(false));
        }
        if (isGroup(raw)) {
            return group(fullName, type);
        }
        properties.add(new Property(fullName, owner, field, type));
        return new Leaf(Collection.class.isAssignableFrom(raw) || raw.isArray());
    }

    /** A nested properties class: one of this project's, not an enum. */
    private static boolean isGroup(Class<?> type) {
        return !type.isEnum() && type.getName().startsWith("dev.fastembed.spring.");
    }

    static String dashed(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String uniform(String dashed) {
        return dashed.replace("-", "");
    }
}
