package dev.runbook.lang.model;

/** The types a param may declare. */
public enum ParamType {
    STRING, INTEGER, NUMBER, BOOLEAN, LIST, MAP;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ParamType of(String s) {
        for (ParamType t : values()) {
            if (t.word().equals(s)) {
                return t;
            }
        }
        return null;
    }
}
