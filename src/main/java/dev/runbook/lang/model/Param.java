package dev.runbook.lang.model;

import dev.runbook.lang.Pos;
import java.util.List;

/** A declared parameter. {@code defaultValue} is already of the declared type. */
public record Param(
        String name,
        ParamType type,
        Object defaultValue,
        boolean hasDefault,
        boolean required,
        String description,
        boolean secret,
        String pattern,
        List<Object> enumValues,
        Pos pos) {
}
