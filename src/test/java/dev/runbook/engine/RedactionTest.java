package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret params, secret prompt answers and sensitive outputs never appear, in clear or in
 * base64, in anything a run produces: console, errors, the state directory, any file.
 */
@Timeout(90)
class RedactionTest {
    @TempDir
    Path dir;

    static final String PASSWORD = "Pa55-word-Z9";
    static final String ANSWER = "vault-passphrase-Q7";
    static final String TOKEN = "tok-9f8e7d6c5b4a";

    static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: secrets
            params:
              password: {secret: true}
            steps:
              - id: echo-argv
                shell: {command: [echo, "pw=${{ params.password }}"]}
              - id: echo-encoded
                mutates: false
                shell:
                  script: |
                    printf %%s ${{ params.password }} | base64
                    echo ${{ params.password }} | base64
                    printf %%s ${{ params.password }} | base64 | tr -d =
                    printf %%s ${{ params.password }} | base64 | tr +/ -_
              - id: fails
                onFailure: continue
                mutates: false
                shell: {command: [bash, -c, 'echo "login failed for $1" >&2; exit 3', x, "${{ params.password }}"]}
              - id: asserts
                onFailure: continue
                assert: {that: "params.password == 'other'", message: "password ${{ params.password }} is wrong"}
              - id: token
                sensitive: true
                mutates: false
                shell: {command: [printf, "%%s-%%s", "%s", "%s"]}
                capture: {token: "${{ result.stdout.trim() }}"}
              - id: use-token
                mutates: false
                shell: {command: [echo, "token is ${{ steps.token.outputs.token }}"]}
                capture: {line: "${{ result.stdout }}"}
              - id: answer
                prompt: {message: "Vault passphrase?", type: secret}
                capture: {v: "${{ result.value }}"}
              - id: use-answer
                mutates: false
                shell: {command: [echo, "${{ steps.answer.outputs.v }}"]}
                capture: {echoed: "${{ result.stdout }}"}
              - id: mutating
                shell: {command: [curl, -u, "admin:${{ params.password }}", "https://example.invalid/${{ steps.token.outputs.token }}"]}
            """.formatted(TOKEN.substring(0, 3), TOKEN.substring(4));

    static List<String> forms(String secret) {
        byte[] b = secret.getBytes(StandardCharsets.UTF_8);
        return List.of(secret,
                Base64.getEncoder().encodeToString(b),
                Base64.getEncoder().withoutPadding().encodeToString(b),
                Base64.getUrlEncoder().withoutPadding().encodeToString(b),
                Base64.getEncoder().encodeToString((secret + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertClean(String where, String text) {
        for (String secret : List.of(PASSWORD, ANSWER, TOKEN)) {
            for (String form : forms(secret)) {
                assertThat(text).as(where + " must not hold " + secret + " as " + form).doesNotContain(form);
            }
        }
    }

    @Test
    void noSecretInAnyOutputOrFileOfARunOrADryRun() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", RUNBOOK);
        List<Runs.Result> results = new ArrayList<>();
        for (String mode : List.of("--state-dir", "--dry-run")) {
            List<String> args = new ArrayList<>(List.of("run", rb.toString(), "--set", "password=" + PASSWORD,
                    "--answer", "answer=" + ANSWER, "--state-dir", dir.resolve("state").toString()));
            if (mode.equals("--dry-run")) {
                args.add("--dry-run");
            }
            Process p = Runs.start(dir, Map.of(), args.toArray(new String[0]));
            Runs.Result r = Runs.finish(p, dir, 60);
            results.add(r);
            assertClean("console of " + mode, r.all());
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        assertClean(dir.relativize(f).toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        Runs.Result real = results.get(0);
        // The steps did run with the real values: the redaction is of what is shown, not of what runs.
        assertThat(real.out()).contains("pw=***").contains("login failed for ***").contains("password *** is wrong")
                .contains("token is ***").contains("token = ***").contains("echoed = ***")
                .contains("answered *** by");
        assertThat(results.get(1).out()).contains("admin:***").contains("https://example.invalid/***");
    }
}
