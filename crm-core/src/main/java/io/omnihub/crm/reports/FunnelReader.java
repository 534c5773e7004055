package io.omnihub.crm.reports;

import io.omnihub.crm.automation.DefinitionParser;
import io.omnihub.crm.automation.JourneyDefinition;
import io.omnihub.crm.jdbc.SqlValues;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads {@link JourneyFunnel}s from enrollments, their actions and the customers' timelines. */
final class FunnelReader {

    private static final Logger LOG = LoggerFactory.getLogger(FunnelReader.class);

    /** The enrollments of the period with their customer; {@code acts} their actions. */
    private static final String ENROLLED = CustomerRoots.CTE + """
            , e as (
                select en.id, en.version, en.started_at, coalesce(r.root, en.customer_id) as customer
                  from crm_enrollment en left join root r on r.id = en.customer_id
                 where en.journey_id = ? and en.started_at >= ? and en.started_at < ?
            ), acts as (
                select split_part(a.id, ':', 1) as enrollment, a.connector, a.status, a.reason
                  from crm_action a where a.origin = ? and split_part(a.id, ':', 1) in (select id::text from e)
            )
            """;

    private FunnelReader() {
    }

    static JourneyFunnel read(Connection c, String journey, ReportPeriod p) throws SQLException {
        Object[] head = {journey, SqlValues.utc(p.from()), SqlValues.utc(p.to()), "journey:" + journey};
        long enrolled;
        long customers;
        long reached;
        long failed;
        long pending;
        try (ResultSet rs = Queries.run(c, ENROLLED + """
                select (select count(*) from e), (select count(distinct customer) from e),
                       (select count(distinct enrollment) from acts where status = 'sent'),
                       (select count(*) from acts where status = 'failed'),
                       (select count(*) from acts where status in ('planned', 'queued', 'retrying', 'sending', 'unknown'))
                """, head)) {
            rs.next();
            enrolled = rs.getLong(1);
            customers = rs.getLong(2);
            reached = rs.getLong(3);
            failed = rs.getLong(4);
            pending = rs.getLong(5);
        }
        Map<String, Long> sent = new TreeMap<>();
        try (ResultSet rs = Queries.run(c, ENROLLED + """
                select coalesce(connector, 'none'), count(*) from acts where status = 'sent' group by 1
                """, head)) {
            while (rs.next()) {
                sent.put(rs.getString(1), rs.getLong(2));
            }
        }
        Map<String, Long> suppressed = new TreeMap<>();
        try (ResultSet rs = Queries.run(c, ENROLLED + """
                select lower(trim(split_part(coalesce(reason, 'unknown'), ':', 1))), count(*) from acts
                 where status = 'suppressed' group by 1
                """, head)) {
            while (rs.next()) {
                suppressed.put(rs.getString(1), rs.getLong(2));
            }
        }
        // the goal is read from each version the enrollments started on: a goal edited later does not
        // change what counted for enrollments that ran on the earlier version
        List<String[]> versions = new ArrayList<>();
        try (ResultSet rs = Queries.run(c, ENROLLED + """
                select v.version, v.definition from crm_journey_version v
                 where v.journey_id = ? and v.version in (select version from e)
                 order by v.created_at desc
                """, journey, SqlValues.utc(p.from()), SqlValues.utc(p.to()), "journey:" + journey, journey)) {
            while (rs.next()) {
                versions.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        JourneyFunnel.Goal shown = null;
        long goalEnrollments = 0;
        long converted = 0;
        for (String[] v : versions) {
            JourneyDefinition.Goal goal = goalOf(journey, v[0], v[1]);
            if (goal == null) {
                continue;
            }
            if (shown == null) {
                shown = new JourneyFunnel.Goal(goal.event(), goal.within());
            }
            try (ResultSet rs = Queries.run(c, ENROLLED + """
                    select count(*), count(*) filter (where exists (
                               select 1 from crm_timeline t join root r on r.id = t.customer_id
                                where r.root = e.customer and t.type = ?
                                  and t.time >= e.started_at and t.time <= e.started_at + make_interval(secs => ?)))
                      from e where e.version = ?
                    """, journey, SqlValues.utc(p.from()), SqlValues.utc(p.to()), "journey:" + journey, goal.event(),
                    (double) goal.within().getSeconds(), v[0])) {
                rs.next();
                goalEnrollments += rs.getLong(1);
                converted += rs.getLong(2);
            }
        }
        return new JourneyFunnel(journey, p, enrolled, customers, reached, sent, suppressed, failed, pending, shown, goalEnrollments,
                converted, Ratios.rate(converted, goalEnrollments));
    }

    private static JourneyDefinition.Goal goalOf(String journey, String version, String canonical) {
        try {
            return DefinitionParser.journeyFromCanonical(journey, canonical).goal();
        } catch (RuntimeException e) {
            // a version stored by an older hub that this one no longer reads: it names no goal it can count
            LOG.warn("journey {} version {} cannot be read for its goal: {}", journey, version, e.getClass().getSimpleName());
            return null;
        }
    }
}
