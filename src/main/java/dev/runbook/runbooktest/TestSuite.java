package dev.runbook.runbooktest;

import dev.runbook.engine.Cancellation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs tests in parallel, up to {@code jobs} at once, and hands each result on in the tests'
 * order (not the order they finish), so that the output of two runs of the same suite compares.
 */
public final class TestSuite {
    /** A run that has not ended after this long is stopped: a hung test must not hang CI. */
    public static final Duration DEFAULT_LIMIT = Duration.ofMinutes(10);

    private TestSuite() {
    }

    /**
     * Runs each test through {@code launcher}; {@code suite} stops them all (those running are
     * interrupted, those not begun do not run).
     */
    public static List<TestResult> run(List<TestSpec> specs, int jobs, Duration limit, RunLauncher launcher,
                                       Cancellation suite, Consumer<TestResult> onResult) {
        return run(specs, jobs, spec -> TestCase.run(spec, limit, launcher, suite), onResult);
    }

    /** As {@link #run(List, int, Duration, Consumer)} with the way one test is run given. */
    static List<TestResult> run(List<TestSpec> specs, int jobs, Function<TestSpec, TestResult> runOne,
                                Consumer<TestResult> onResult) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, specs.size())),
                Thread.ofPlatform().daemon().name("runbook-test-", 1).factory());
        try {
            List<Future<TestResult>> futures = new ArrayList<>();
            for (TestSpec spec : specs) {
                futures.add(pool.submit(() -> runOne.apply(spec)));
            }
            List<TestResult> results = new ArrayList<>();
            for (Future<TestResult> f : futures) {
                TestResult r = get(f);
                results.add(r);
                onResult.accept(r);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static TestResult get(Future<TestResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunbookTestException("runbook: interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new RunbookTestException("runbook: a test could not be run: " + cause);
        }
    }
}
