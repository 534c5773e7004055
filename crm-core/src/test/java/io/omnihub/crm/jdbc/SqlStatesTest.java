package io.omnihub.crm.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What the core says of a failed statement: the SQL state and PostgreSQL's words, never the values it quotes. */
class SqlStatesTest {

    @Test
    void aDescriptionKeepsTheSqlStateAndTheMessageButNotTheQuotedValuesOrTheDetail() {
        SQLException duplicate = new SQLException("ERROR: duplicate key value violates unique constraint \"crm_identity_pkey\"\n"
                + "  Detail: Key (type, namespace, value)=(phone, , 13912345678) already exists.", "23505");
        SQLException badInput = new SQLException("ERROR: invalid input syntax for type uuid: \"王芳\"", "22P02");
        SQLException batch = new SQLException("Batch entry 0 insert into crm_customer values ('王芳', '上海') was aborted: "
                + "ERROR: value too long  Call getNextException to see other errors in the batch.", "22001");

        assertThat(SqlStates.describe(duplicate)).isEqualTo("SQLSTATE 23505: ERROR: duplicate key value violates unique constraint \"***\"");
        assertThat(SqlStates.describe(badInput)).isEqualTo("SQLSTATE 22P02: ERROR: invalid input syntax for type uuid: \"***\"");
        assertThat(SqlStates.describe(batch)).startsWith("SQLSTATE 22001: Batch entry 0 insert into crm_customer values ('***', '***') was aborted")
                .doesNotContain("王芳", "上海");
    }
}
