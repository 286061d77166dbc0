package dev.runbook.actions.prompt;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Answer;
import dev.runbook.engine.Answers;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.PromptAnswers;
import dev.runbook.engine.Terminal;
import dev.runbook.expr.Renderer;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.secrets.Redactor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * {@code prompt}: a question for the operator. The answer comes from {@code --answer ID=VALUE}
 * or {@code --answers FILE}, from {@code --yes} for a confirm, or from the terminal. Without
 * a terminal and without an answer the step fails at once (exit 3) naming {@code --answer}: a
 * run in a pipe or in CI never waits for an answer that cannot come. In a dry run nothing is
 * asked: the value is the given answer, else the default, else unknown.
 */
public final class PromptHandler implements ActionHandler {

    @Override
    public Invocation prepare(Step step, ActionContext ctx) throws ActionException {
        Action.Prompt p = (Action.Prompt) step.action();
        String message = ctx.string(p.message(), "message");
        List<String> choices = new ArrayList<>();
        Object cv = ctx.render(p.choices(), "choices");
        if (cv instanceof List<?> l) {
            for (Object o : l) {
                choices.add(Renderer.format(o));
            }
        } else if (cv != null) {
            choices.add(Renderer.format(cv));
        }
        String dflt = ctx.string(p.defaultValue(), "default");
        return new Invocation() {
            @Override
            public Object describe() {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("prompt", message);
                d.put("type", p.type());
                if (!choices.isEmpty()) {
                    d.put("choices", choices);
                }
                if (dflt != null) {
                    d.put("default", dflt);
                }
                Answers.Given g = ctx.options().answers().get(step.id());
                if (g != null) {
                    d.put("answer", p.type().equals("secret") ? Redactor.MASK : g.value());
                } else if (p.type().equals("confirm") && ctx.options().answers().yes()) {
                    d.put("answer", "yes (--yes)");
                }
                return d;
            }

            @Override
            public Object run(ActionContext c) throws ActionException, InterruptedException {
                return ask(step, p, c, message, choices, dflt);
            }
        };
    }

    private static Object ask(Step step, Action.Prompt p, ActionContext c, String message, List<String> choices,
                              String dflt) throws ActionException, InterruptedException {
        Answers answers = c.options().answers();
        Answers.Given given = answers.get(step.id());
        Terminal term = c.options().terminal();
        String user = c.run().user();
        boolean secret = p.type().equals("secret");
        String value;
        String source;
        if (given != null) {
            value = given.value();
            source = given.source();
        } else if (p.type().equals("confirm") && answers.yes()) {
            value = "yes";
            source = "--yes";
        } else if (c.dryRun()) {
            if (dflt == null) {
                throw new ActionException(ActionException.Kind.UNKNOWN, "asked at run time");
            }
            value = dflt;
            source = "default";
        } else if (term.interactive()) {
            value = interruptibly(() -> fromTerminal(step, p, term, message, choices, dflt));
            if (value == null) {
                throw new ActionException(ActionException.Kind.UNANSWERABLE, "prompt '" + step.id()
                        + "': the terminal closed before an answer was given");
            }
            source = "terminal";
        } else {
            throw new ActionException(ActionException.Kind.UNANSWERABLE, "prompt '" + step.id()
                    + "' needs an answer and there is no terminal to ask: give it with --answer " + step.id() + "="
                    + (p.type().equals("confirm") ? "yes (or --yes for every confirm)" : "VALUE")
                    + ", or in an --answers file");
        }
        Instant at = Instant.now();
        if (secret) {
            c.secret(value);
        }
        String recorded = secret ? Redactor.MASK : value;
        if (p.type().equals("confirm") && PromptAnswers.yesNo(value) != null) {
            recorded = PromptAnswers.yesNo(value) ? "yes" : "no";
        }
        c.answered(new Answer(recorded, user, at, source));
        Map<String, Object> result = new LinkedHashMap<>();
        switch (p.type()) {
            case "confirm" -> {
                Boolean yes = PromptAnswers.yesNo(value);
                if (yes == null) {
                    throw new ActionException(ActionException.Kind.UNANSWERABLE, "answer '" + value + "' to confirm '"
                            + step.id() + "' is neither yes nor no");
                }
                if (!yes) {
                    String who = "declined by " + user + " (" + source + ")";
                    if ("skip".equals(p.onDecline())) {
                        throw new ActionException(ActionException.Kind.SKIPPED, who + "; onDecline: skip");
                    }
                    throw new ActionException(ActionException.Kind.DECLINED, who + ": the run stops here");
                }
                result.put("value", true);
            }
            case "choice" -> {
                if (!choices.contains(value)) {
                    throw new ActionException(ActionException.Kind.UNANSWERABLE, "answer '" + value + "' to '" + step.id()
                            + "' is not one of the choices: " + String.join(", ", choices));
                }
                result.put("value", value);
            }
            default -> result.put("value", value);
        }
        return result;
    }

    /**
     * Reads on a separate thread so that Ctrl-C can stop the run while it waits: reading the
     * console itself cannot be interrupted.
     */
    private static String interruptibly(Supplier<String> read) throws InterruptedException {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(read.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "runbook-prompt");
        t.setDaemon(true);
        t.start();
        try {
            return f.get();
        } catch (ExecutionException e) {
            return null;
        }
    }

    private static String fromTerminal(Step step, Action.Prompt p, Terminal term, String message, List<String> choices,
                                       String dflt) {
        StringBuilder head = new StringBuilder("\n? ").append(step.label()).append('\n');
        if (step.doc() != null) {
            for (String l : step.doc().strip().split("\n")) {
                head.append("  | ").append(l).append('\n');
            }
        }
        head.append("  ").append(message.strip()).append('\n');
        switch (p.type()) {
            case "confirm" -> {
                Boolean d = PromptAnswers.yesNo(dflt);
                String hint = Boolean.TRUE.equals(d) ? "[Y/n]" : "[y/N]";
                String q = head + "  " + hint + " ";
                while (true) {
                    String line = term.readLine(q);
                    if (line == null) {
                        return null;
                    }
                    if (line.isBlank()) {
                        return Boolean.TRUE.equals(d) ? "yes" : "no";
                    }
                    if (PromptAnswers.yesNo(line) != null) {
                        return line.strip();
                    }
                    q = "  please answer yes or no " + hint + " ";
                }
            }
            case "choice" -> {
                StringBuilder q = new StringBuilder(head);
                for (int i = 0; i < choices.size(); i++) {
                    q.append("  ").append(i + 1).append(") ").append(choices.get(i)).append('\n');
                }
                q.append("  choose 1-").append(choices.size()).append(dflt != null ? " [" + dflt + "]" : "").append(": ");
                String ask = q.toString();
                while (true) {
                    String line = term.readLine(ask);
                    if (line == null) {
                        return null;
                    }
                    String s = line.strip();
                    if (s.isEmpty() && dflt != null) {
                        return dflt;
                    }
                    if (choices.contains(s)) {
                        return s;
                    }
                    try {
                        int n = Integer.parseInt(s);
                        if (n >= 1 && n <= choices.size()) {
                            return choices.get(n - 1);
                        }
                    } catch (NumberFormatException e) {
                        // not a number: ask again
                    }
                    ask = "  not one of the choices; choose 1-" + choices.size() + ": ";
                }
            }
            case "secret" -> {
                String ask = head + "  (input is hidden): ";
                while (true) {
                    char[] pw = term.readSecret(ask);
                    if (pw == null) {
                        return null;
                    }
                    if (pw.length > 0) {
                        return new String(pw);
                    }
                    ask = "  a value is needed (input is hidden): ";
                }
            }
            default -> {
                String line = term.readLine(head + "  " + (dflt != null ? "[" + dflt + "] " : "> "));
                if (line == null) {
                    return null;
                }
                return line.isEmpty() && dflt != null ? dflt : line;
            }
        }
    }
}
