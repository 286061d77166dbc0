package dev.runbook.sandbox;

import java.util.regex.Pattern;

/** A shell-style name pattern: {@code *} any run of characters, {@code ?} one; the rest literal. */
public record Glob(String text, Pattern pattern) {
    public static Glob of(String text) {
        String t = text == null ? "*" : text;
        StringBuilder re = new StringBuilder();
        for (char c : t.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(t, Pattern.compile(re.toString()));
    }

    public boolean matches(String name) {
        return name != null && pattern.matcher(name).matches();
    }
}
