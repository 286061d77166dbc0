package dev.runbook.plan;

import dev.runbook.expr.Renderer;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Prints a {@link Plan} as text for a terminal, JSON for tools, or markdown for a change ticket. */
public final class PlanPrinter {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private PlanPrinter() {
    }

    public static String json(Plan plan) {
        return JSON.writeValueAsString(plan) + "\n";
    }

    public static String text(Plan plan) {
        StringBuilder sb = new StringBuilder();
        sb.append("Plan: ").append(plan.name());
        if (plan.title() != null) {
            sb.append(" — ").append(plan.title());
        }
        sb.append('\n').append("File: ").append(plan.file()).append('\n');
        if (!plan.params().isEmpty()) {
            sb.append("Params:\n");
            for (Map.Entry<String, Object> e : plan.params().entrySet()) {
                sb.append("  ").append(e.getKey()).append(" = ").append(Renderer.format(e.getValue())).append('\n');
            }
        }
        sb.append("Nothing was run or contacted. Values written ${{ ... }} are known only at run time.\n\n");
        boolean asciiDigits = asciiDigits();
        for (Plan.PlanStep s : plan.steps()) {
            textStep(sb, s, asciiDigits);
        }
        if (!plan.onFailure().isEmpty()) {
            sb.append("If the run fails:\n\n");
            for (Plan.PlanStep s : plan.onFailure()) {
                textStep(sb, s, asciiDigits);
            }
        }
        return sb.toString();
    }

    /**
     * True when {@code String.format("%d")} writes ASCII digits in this locale, as almost every
     * locale does; then step numbers are padded by hand, which is much cheaper on long plans.
     */
    private static boolean asciiDigits() {
        return DecimalFormatSymbols.getInstance(Locale.getDefault(Locale.Category.FORMAT)).getZeroDigit() == '0';
    }

    /** {@code String.format("%3d. ", n)}. */
    private static void number(StringBuilder sb, int n, boolean asciiDigits) {
        if (!asciiDigits) {
            sb.append(String.format("%3d. ", n));
            return;
        }
        String digits = Integer.toString(n);
        for (int i = digits.length(); i < 3; i++) {
            sb.append(' ');
        }
        sb.append(digits).append(". ");
    }

    private static void textStep(StringBuilder sb, Plan.PlanStep s, boolean asciiDigits) {
        String pad = "  ".repeat(s.depth());
        String inner = pad + "     ";
        sb.append(pad);
        number(sb, s.number(), asciiDigits);
        sb.append(s.id()).append("  ").append(s.effect());
        if (s.title() != null) {
            sb.append("  ").append(s.title());
        }
        sb.append('\n');
        if (s.doc() != null) {
            for (String line : s.doc().strip().split("\n")) {
                sb.append(inner).append("| ").append(line).append('\n');
            }
        }
        String summary = s.summary();
        if (!summary.isEmpty()) {
            for (String line : summary.split("\n")) {
                sb.append(inner).append(line).append('\n');
            }
        }
        for (String c : s.conditions()) {
            sb.append(inner).append(c).append('\n');
        }
        if (!s.needs().isEmpty()) {
            sb.append(inner).append("needs: ").append(String.join(", ", s.needs())).append('\n');
        }
        if (!s.reads().isEmpty()) {
            sb.append(inner).append("reads: ").append(String.join(", ", s.reads())).append('\n');
        }
        for (String c : s.captures()) {
            sb.append(inner).append("capture ").append(c).append('\n');
        }
        sb.append('\n');
    }

    public static String markdown(Plan plan) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Plan: ").append(plan.title() != null ? plan.title() : plan.name()).append("\n\n");
        sb.append("Runbook `").append(plan.name()).append("` from `").append(plan.file()).append("`.\n\n");
        if (plan.description() != null) {
            sb.append(plan.description().strip()).append("\n\n");
        }
        if (!plan.params().isEmpty()) {
            sb.append("| Param | Value |\n|---|---|\n");
            for (Map.Entry<String, Object> e : plan.params().entrySet()) {
                sb.append("| `").append(e.getKey()).append("` | `").append(cell(Renderer.format(e.getValue()))).append("` |\n");
            }
            sb.append('\n');
        }
        sb.append("Values written `${{ ... }}` are known only at run time.\n\n## Steps\n\n");
        for (Plan.PlanStep s : plan.steps()) {
            mdStep(sb, s);
        }
        if (!plan.onFailure().isEmpty()) {
            sb.append("## If the run fails\n\n");
            for (Plan.PlanStep s : plan.onFailure()) {
                mdStep(sb, s);
            }
        }
        return sb.toString();
    }

    private static void mdStep(StringBuilder sb, Plan.PlanStep s) {
        String hashes = "#".repeat(Math.min(6, 3 + s.depth()));
        sb.append(hashes).append(' ').append(s.number()).append(". ").append(s.title() != null ? s.title() : s.id())
                .append(" `").append(s.effect()).append("`\n\n");
        sb.append("- [ ] step `").append(s.id()).append("` (").append(s.kind()).append(")\n");
        for (String c : s.conditions()) {
            sb.append("- ").append(c).append('\n');
        }
        if (!s.needs().isEmpty()) {
            sb.append("- needs: ").append(String.join(", ", s.needs())).append('\n');
        }
        if (!s.reads().isEmpty()) {
            sb.append("- reads: ").append(String.join(", ", s.reads())).append('\n');
        }
        for (String c : s.captures()) {
            sb.append("- capture `").append(c).append("`\n");
        }
        sb.append('\n');
        if (s.doc() != null) {
            sb.append(s.doc().strip()).append("\n\n");
        }
        String summary = s.summary();
        if (!summary.isEmpty()) {
            String fence = dev.runbook.journal.Report.fenceFor(summary); // a value holding ``` cannot close it
            sb.append(fence).append('\n').append(summary).append('\n').append(fence).append("\n\n");
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
