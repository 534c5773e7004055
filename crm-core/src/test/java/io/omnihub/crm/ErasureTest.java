package io.omnihub.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Order;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Erasure removes a customer from every core table, and the suppression list keeps them from coming back until lifted. */
class ErasureTest extends PgTestBase {

    private static final Identity OPENID = openid("o-erase-me-0001");
    private static final Identity PHONE = phone("+8613912345678");
    private static final Identity CARD = card("VIP-ERASE-77");

    @Test
    void anErasedCustomerIsInNoTableAndTheRecordCountsWhatWentWithoutPersonalData() throws Exception {
        String id = apply(msg("wx-evt-first", "wechat", t(0), "hello", OPENID)).outcomes().get(0).customerId();
        apply(order("pos-evt-paid", "order.paid", "pos", t(1), new Order("POS-1", "paid", "CNY", 59900, List.of()), CARD, PHONE));
        apply(msg("wx-evt-join", "wechat", t(2), "my number", OPENID, PHONE)); // joins the two profiles
        core.addTag(id, "vip");
        core.addScore(id, "intent", 20);
        countTrait(id, "runningShoeViews7d", 4);
        assertThat(activeCustomers()).isEqualTo(1);

        ErasureOutcome outcome = core.erase(id, "dpo@brand", "customer asked, ticket 88");

        assertThat(core.customer(id)).isEmpty();
        for (Identity i : List.of(OPENID, PHONE, CARD)) {
            assertThat(core.findByIdentity(i.type(), i.value(), i.namespace())).isEmpty();
        }
        assertThat(outcome.record().profiles()).hasSize(2);
        assertThat(outcome.record().counts()).containsEntry("profiles", 2L).containsEntry("timeline", 3L).containsEntry("orders", 1L)
                .containsEntry("identities", 3L).containsEntry("tags", 1L).containsEntry("scores", 1L).containsEntry("traitCounts", 1L).containsEntry("suppressed", 3L);
        assertThat(outcome.record().counts()).doesNotContainKey("crm_trait_count");
        assertThat(outcome.identifiers()).extracting(Identity::value).contains(OPENID.value(), PHONE.value(), CARD.value());
        assertThat(tablesHolding(OPENID.value(), "13912345678", CARD.value(), "wx-evt-first", "pos-evt-paid", "wx-evt-join")).isEmpty();
        ErasureRecord listed = core.erasures(10).get(0);
        assertThat(listed.id()).isEqualTo(outcome.record().id());
        assertThat(listed.erasedBy()).isEqualTo("dpo@brand");
        assertThat(listed.reason()).isEqualTo("customer asked, ticket 88");
        assertThat(listed.counts()).isEqualTo(outcome.record().counts());
    }

    @Test
    void erasingAMergedAwayIdErasesTheSurvivorAndEveryProfileMergedIntoIt() throws Exception {
        apply(msg("m1", "pos", t(0), "hi", CARD, PHONE));
        String follower = apply(msg("w1", "wechat", t(1), "hi", OPENID)).outcomes().get(0).customerId();
        apply(msg("w2", "wechat", t(2), "hi", OPENID, PHONE));
        assertThat(activeCustomers()).isEqualTo(1);

        core.erase(follower, "dpo", "request");

        assertThat(count("select count(*) from crm_customer")).isZero();
        assertThat(count("select count(*) from crm_customer_alias")).isZero();
        assertThat(count("select count(*) from crm_merge_audit")).isZero();
    }

    @Test
    void anEventCarryingAnErasedIdentifierIsNotAppliedAndCountedOnItsSuppression() throws Exception {
        String id = apply(msg("e1", "wechat", t(0), "hello", OPENID, PHONE)).outcomes().get(0).customerId();
        core.erase(id, "dpo", "request");

        BatchResult again = apply(msg("e1", "wechat", t(0), "hello", OPENID), msg("x1", "pos", t(1), "someone else", card("OTHER-1")),
                msg("e9", "pos", t(2), "new card, old phone", card("NEW-1"), PHONE));

        assertThat(again.outcomes()).extracting(BatchResult.Outcome::status).containsExactly(BatchResult.Status.SUPPRESSED,
                BatchResult.Status.APPLIED, BatchResult.Status.SUPPRESSED);
        assertThat(again.outcomes().get(0).reason()).doesNotContain(OPENID.value());
        assertThat(activeCustomers()).isEqualTo(1);
        assertThat(core.suppressed(List.of(Identity.phone("13912345678"), card("OTHER-2")))).isTrue();
        assertThat(core.suppressed(List.of(card("OTHER-1")))).isFalse();
        assertThat(core.findByIdentity("card", "NEW-1", null)).isEmpty();
        assertThat(tablesHolding(OPENID.value(), "13912345678", "NEW-1")).isEmpty();
        List<SuppressionView> list = core.suppressions(false, 10);
        assertThat(list).extracting(SuppressionView::type).containsExactlyInAnyOrder("wechat_openid", "phone");
        assertThat(list).allSatisfy(s -> {
            assertThat(s.hits()).isEqualTo(1);
            assertThat(s.lastHitAt()).isNotNull();
        });
    }

    @Test
    void aLiftedSuppressionLetsEventsApplyAgainAndStaysOnTheListAsItsAudit() throws Exception {
        String id = apply(msg("e1", "wechat", t(0), "hello", OPENID, PHONE)).outcomes().get(0).customerId();
        core.erase(id, "dpo", "request");
        SuppressionView phone = core.suppressions(false, 10).stream().filter(s -> s.type().equals("phone")).findFirst().orElseThrow();

        SuppressionView lifted = core.liftSuppression(phone.id(), "dpo", "customer came back and consented");
        assertThat(core.liftSuppression("wechat_openid", OPENID.value(), OPENID.namespace(), "dpo", "same")).isPresent();

        assertThat(lifted.liftedBy()).isEqualTo("dpo");
        assertThatThrownBy(() -> core.liftSuppression(phone.id(), "dpo", "again")).isInstanceOf(IllegalStateException.class);
        assertThat(core.liftSuppression("phone", "13912345678", null, "dpo", "none left")).isEmpty();
        assertThat(core.suppressions(false, 10)).isEmpty();
        assertThat(core.suppressions(true, 10)).hasSize(2).allSatisfy(s -> assertThat(s.liftReason()).isNotBlank());
        assertThat(apply(msg("e2", "wechat", t(5), "back", OPENID, PHONE)).outcomes().get(0).status()).isEqualTo(BatchResult.Status.APPLIED);
    }

    @Test
    void eventsOfTheCustomerAppliedWhileTheyAreErasedAreErasedWithThemOrSuppressedNeverHalfKept() throws Exception {
        String id = apply(msg("e0", "wechat", t(0), "hello", OPENID, PHONE)).outcomes().get(0).customerId();
        java.util.concurrent.atomic.AtomicBoolean erased = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(3);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.Future<List<BatchResult.Status>> applier = pool.submit(() -> {
            List<BatchResult.Status> afterErasure = new ArrayList<>();
            for (int i = 1; afterErasure.size() < 10; i++) {
                boolean wasErased = erased.get();
                BatchResult.Status status = core.apply(List.of(msg("c" + i, "wechat", t(i), "again", i % 2 == 0 ? OPENID : PHONE)))
                        .outcomes().get(0).status();
                assertThat(status).isIn(BatchResult.Status.APPLIED, BatchResult.Status.SUPPRESSED);
                if (wasErased) {
                    afterErasure.add(status);
                }
                started.countDown();
            }
            return afterErasure;
        });
        started.await();

        ErasureOutcome outcome = core.erase(id, "dpo", "request");
        erased.set(true);
        List<BatchResult.Status> after = applier.get(60, java.util.concurrent.TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(after).containsOnly(BatchResult.Status.SUPPRESSED);
        assertThat(outcome.record().counts().get("timeline")).isGreaterThanOrEqualTo(4);
        assertThat(count("select count(*) from crm_customer")).isZero();
        assertThat(count("select count(*) from crm_timeline")).isZero();
        assertThat(count("select count(*) from crm_processed_event")).isZero();
        assertThat(tablesHolding(OPENID.value(), "13912345678")).isEmpty();
    }

    @Test
    void aPhoneSharedByWalkInsIsNotSuppressedWhenOneOfThemIsErased() throws Exception {
        Identity storeMobile = Identity.phone("+8613700000001").withEvidence(io.omnihub.connector.event.Evidence.NOTED);
        List<String> walkIns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            walkIns.add(apply(walkIn("w" + i, i, storeMobile)).outcomes().get(0).customerId());
        }
        assertThat(core.sharedIdentifiers("detected", 10)).hasSize(1);

        core.erase(walkIns.get(3), "dpo", "request");

        assertThat(core.suppressions(false, 10)).isEmpty();
        assertThat(core.sharedIdentifiers("detected", 10)).hasSize(1);
        assertThat(apply(walkIn("w9", 9, storeMobile)).outcomes().get(0).status()).isEqualTo(BatchResult.Status.APPLIED);
    }

    @Test
    void anErasureNeedsAReasonAndAnExistingCustomer() {
        String id = apply(msg("e1", "wechat", t(0), "hello", OPENID)).outcomes().get(0).customerId();

        assertThatThrownBy(() -> core.erase(id, "dpo", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> core.erase("018f0000-0000-7000-8000-000000000000", "dpo", "x")).isInstanceOf(NoSuchElementException.class);
        assertThat(core.customer(id)).isPresent();
        assertThat(core.erasures(10)).isEmpty();
    }

    private static io.omnihub.connector.event.CustomerEvent walkIn(String id, int minute, Identity phone) {
        return event(id, "store.purchased", "pos", t(minute), phone).extra("storeId", "S1")
                .order(new Order("W-" + id, "DONE", "CNY", 1000, List.of())).build();
    }

    /** Every table and text-like column that holds any of {@code needles}, as "table.column". */
    private List<String> tablesHolding(String... needles) throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            List<String[]> columns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select table_name, column_name from information_schema.columns "
                    + "where table_schema = current_schema() and data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY')");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] col : columns) {
                for (String needle : needles) {
                    try (PreparedStatement ps = c.prepareStatement("select count(*) from \"" + col[0] + "\" where \"" + col[1]
                            + "\"::text like '%' || ? || '%'")) {
                        ps.setString(1, needle);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                found.add(col[0] + "." + col[1] + " holds " + needle);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /** A windowed trait's counter of the customer, as automation keeps them. */
    private static void countTrait(String customer, String trait, long value) throws Exception {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into crm_trait_count (customer_id, trait, bucket, value) values (?::uuid, ?, now(), ?)")) {
            ps.setString(1, customer);
            ps.setString(2, trait);
            ps.setLong(3, value);
            ps.executeUpdate();
        }
    }
}
