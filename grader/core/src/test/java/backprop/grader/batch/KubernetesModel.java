package backprop.grader.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A manifest read into the Kubernetes API types (fabric8's model). Those types keep any field they do not know in
 * an {@code additionalProperties} map rather than failing, so a misspelt field ({@code completionMod}) would pass
 * unseen: {@link #unknownFields} walks the whole object and names every such field with its path.
 */
final class KubernetesModel {
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory()).build();

    private KubernetesModel() {}

    /** Reads the one document of a manifest file as {@code type}. */
    static <T> T read(Path file, Class<T> type) throws IOException {
        try (YAMLParser p = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
            return YAML.readValue(p, type);
        }
    }

    /** Every field the API types did not know, as {@code path.field}. */
    static List<String> unknownFields(Object resource) {
        List<String> out = new ArrayList<>();
        walk(resource, resource.getClass().getSimpleName(), out);
        return out;
    }

    private static void walk(Object o, String path, List<String> out) {
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, out));
            return;
        }
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v;
            try {
                v = g.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String field = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
            if (field.equals("additionalProperties") && v instanceof Map<?, ?> extra) {
                extra.keySet().forEach(k -> out.add(path + "." + k));
            } else {
                walk(v, path + "." + field, out);
            }
        }
    }
}
