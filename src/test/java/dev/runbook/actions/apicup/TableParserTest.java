package dev.runbook.actions.apicup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.ActionException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableParserTest {
    @Test
    void listBackupsAsTheProcedurePrintsItWithSpacesInsideTimestamps() throws Exception {
        // As in the source procedure: the header is not even aligned with the rows.
        String out = """
                Cluster               Namespace     ID                    Timestamp                                 Status            \s
                rf0c7310d07-apiconnect-cc   e2edemo       1537987501522014136   2018-09-26 18:45:01.522014136 +0000 UTC   Complete
                rf0c7310d07-apiconnect-cc   e2edemo       1537920006787257385   2018-09-26 00:00:06.787257385 +0000 UTC   Complete
                """;
        List<Map<String, Object>> rows = TableParser.parse(out);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly(
                Map.entry("Cluster", "rf0c7310d07-apiconnect-cc"),
                Map.entry("Namespace", "e2edemo"),
                Map.entry("ID", "1537987501522014136"),
                Map.entry("Timestamp", "2018-09-26 18:45:01.522014136 +0000 UTC"),
                Map.entry("Status", "Complete"));
        assertThat(rows.get(1).get("Timestamp")).isEqualTo("2018-09-26 00:00:06.787257385 +0000 UTC");
    }

    @Test
    void anAlignedTableWithAnEmptyCellIsCutAtTheHeaderColumns() throws Exception {
        String out = """
                NAME     STATUS    BACKUP ID   MESSAGE
                one      ok        123         all good
                two      failed                disk full
                """;
        List<Map<String, Object>> rows = TableParser.parse(out);
        assertThat(rows.get(0)).containsEntry("BACKUP ID", "123").containsEntry("MESSAGE", "all good");
        assertThat(rows.get(1)).containsEntry("STATUS", "failed").containsEntry("BACKUP ID", "").containsEntry("MESSAGE", "disk full");
    }

    @Test
    void aHeaderOnlyOrEmptyOutputHasNoRows() throws Exception {
        assertThat(TableParser.parse("ID   Status\n")).isEmpty();
        assertThat(TableParser.parse("")).isEmpty();
    }

    @Test
    void aRowThatFitsNoColumnsIsAClearError() {
        assertThatThrownBy(() -> TableParser.parse("A    B\nxxxxxxxxxxxxx yyyyyyyy zzzz\n"))
                .isInstanceOf(ActionException.class)
                .hasMessageContaining("line 2 does not split into the 2 columns of the header (A, B)");
    }
}
