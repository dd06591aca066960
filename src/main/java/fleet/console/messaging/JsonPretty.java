package fleet.console.messaging;

/** Indents JSON for reading; anything that is not JSON comes back unchanged. */
final class JsonPretty {

    private JsonPretty() {
    }

    static String print(String text) {
        String t = text.trim();
        if (!(t.startsWith("{") && t.endsWith("}") || t.startsWith("[") && t.endsWith("]"))) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < t.length()) {
                    out.append(t.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{', '[' -> {
                    out.append(c).append('\n');
                    depth++;
                    indent(out, depth);
                }
                case '}', ']' -> {
                    out.append('\n');
                    depth = Math.max(0, depth - 1);
                    indent(out, depth);
                    out.append(c);
                }
                case ',' -> {
                    out.append(c).append('\n');
                    indent(out, depth);
                }
                case ':' -> out.append(": ");
                default -> {
                    if (!Character.isWhitespace(c)) {
                        out.append(c);
                    }
                }
            }
        }
        return inString || depth != 0 ? text : out.toString();
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("  ".repeat(depth));
    }
}
