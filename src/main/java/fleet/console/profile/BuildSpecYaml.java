package fleet.console.profile;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A build spec written as profile text, for a user's profile file: what the Dockerfile import
 * prints. Every value is double-quoted, so that no text (a colon, a '#', "yes") changes meaning;
 * the profile reads it back to the same spec.
 */
public final class BuildSpecYaml {

    private BuildSpecYaml() {
    }

    /**
     * A {@code services:} list holding one entry, the service's name and its build, written so
     * that it replaces what the profile had: env, labels, ports and each layer's exclude are
     * written even when empty (lists and mappings replace whole), and the layers named in
     * {@code dropLayers} (the profile's, absent from this spec) get {@code remove: true}.
     */
    public static String service(String name, BuildSpec spec, List<String> dropLayers) {
        StringBuilder out = new StringBuilder();
        out.append("services:\n");
        out.append("  - name: ").append(quote(name)).append('\n');
        out.append("    build:\n");
        String in = "      ";
        out.append(in).append("base: ").append(quote(spec.base())).append('\n');
        out.append(in).append("platform: ").append(quote(spec.platform())).append('\n');
        spec.workdir().ifPresent(w -> out.append(in).append("workdir: ").append(quote(w)).append('\n'));
        spec.user().ifPresent(u -> out.append(in).append("user: ").append(quote(u)).append('\n'));
        mapping(out, in, "env", spec.env());
        out.append(in).append("ports: ").append(list(spec.ports())).append('\n');
        mapping(out, in, "labels", spec.labels());
        spec.entrypoint().ifPresent(e -> out.append(in).append("entrypoint: ").append(list(e)).append('\n'));
        spec.cmd().ifPresent(c -> out.append(in).append("cmd: ").append(list(c)).append('\n'));
        out.append(in).append("layers:\n");
        for (LayerSpec layer : spec.layers()) {
            out.append(in).append("  - name: ").append(quote(layer.name())).append('\n');
            out.append(in).append("    from: ").append(list(layer.from())).append('\n');
            out.append(in).append("    to: ").append(quote(layer.to())).append('\n');
            out.append(in).append("    exclude: ").append(list(layer.exclude())).append('\n');
        }
        for (String dropped : dropLayers) {
            if (spec.layer(dropped).isEmpty()) {
                out.append(in).append("  - name: ").append(quote(dropped)).append('\n');
                out.append(in).append("    remove: true\n");
            }
        }
        return out.toString();
    }

    private static void mapping(StringBuilder out, String indent, String key, Map<String, String> values) {
        if (values.isEmpty()) {
            out.append(indent).append(key).append(": {}\n");
            return;
        }
        out.append(indent).append(key).append(":\n");
        values.forEach((k, v) -> out.append(indent).append("  ").append(quote(k)).append(": ").append(quote(v)).append('\n'));
    }

    private static String list(List<String> values) {
        return values.stream().map(BuildSpecYaml::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A YAML double-quoted scalar. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
