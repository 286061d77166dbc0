package dev.runbook.actions.apicup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC section 4 for apicup: only the reporting subcommands are reads; anything unknown mutates. */
class ApicupEffectTest {

    @ParameterizedTest(name = "apicup {0}: read={1}")
    @CsvSource({
        "version, true",
        "version --semver, true",
        "health-check, true",
        "subsys get mgmt, true",
        "subsys list, true",
        "subsys health-check mgmt, true",
        "subsys exec mgmt list-backups, true",
        "subsys exec mgmt restore 42, false",
        "subsys exec mgmt, false",
        "subsys install mgmt, false",
        "subsys set mgmt registry x, false",
        "subsys, false",
        "certs set mgmt, false",
        "frobnicate, false",
        "'', false",
    })
    void apicupReads(String args, boolean read) {
        List<String> argv = args.isEmpty() ? List.of() : Arrays.asList(args.split(" "));
        assertThat(ApicupType.reads(argv)).isEqualTo(read);
    }

    @ParameterizedTest(name = "unknown at plan time: {0}")
    @CsvSource({"0", "1", "3"})
    void anArgumentKnownOnlyAtRunTimeNeverMakesARead(int unknownAt) {
        List<String> argv = Arrays.asList("subsys", "exec", "mgmt", "list-backups");
        argv.set(unknownAt, null);
        assertThat(ApicupType.reads(argv)).isFalse();
    }
}
