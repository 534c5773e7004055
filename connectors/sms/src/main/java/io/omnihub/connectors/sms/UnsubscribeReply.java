package io.omnihub.connectors.sms;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a customer's reply to a text message asks to stop marketing messages.
 *
 * <p>The whole reply must be an unsubscribe word, so that "我不想退订" or "TD是什么" do not
 * unsubscribe anyone. Before comparing, the reply is normalized: Unicode NFKC (full-width
 * {@code ＴＤ} becomes {@code TD}), upper case, and whitespace and punctuation removed
 * ({@code "td。"}, {@code "T D!"}, {@code "【退订】"}). The words, as {@link #WORDS} lists them:
 * <ul>
 *   <li>Latin: {@code T}, {@code TD}, {@code STOP}, {@code UNSUBSCRIBE}, in any case ({@code td});
 *       not {@code N} or {@code R}, which mean other things in replies;</li>
 *   <li>Chinese: {@code 退订}, {@code 退定} (a common typo), {@code 退}, {@code 取消订阅},
 *       {@code 拒收};</li>
 *   <li>the prompt echoed back: {@code T} or {@code TD} with {@code 退订} or {@code 退定}, in either
 *       order ({@code TD退订}, {@code 退订TD}, {@code T退订}), also with the prompt's {@code 回}
 *       ({@code 回TD退订}).</li>
 * </ul>
 */
final class UnsubscribeReply {

    /** Every normalized reply that unsubscribes. */
    static final Set<String> WORDS = words();

    private UnsubscribeReply() {
    }

    /** Whether {@code reply} asks to unsubscribe. */
    static boolean isUnsubscribe(String reply) {
        return reply != null && WORDS.contains(normalize(reply));
    }

    /** NFKC, upper case, without whitespace and punctuation. */
    static String normalize(String reply) {
        String folded = Normalizer.normalize(reply, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT);
        return folded.replaceAll("[\\s\\p{P}\\p{S}]", "");
    }

    private static Set<String> words() {
        Set<String> latin = Set.of("T", "TD", "STOP", "UNSUBSCRIBE");
        Set<String> chinese = Set.of("退订", "退定", "退", "取消订阅", "拒收");
        java.util.Set<String> all = new java.util.HashSet<>();
        all.addAll(latin);
        all.addAll(chinese);
        for (String l : Set.of("T", "TD")) {
            for (String c : Set.of("退订", "退定")) {
                all.add(l + c);
                all.add(c + l);
                all.add("回" + l + c);
            }
        }
        return Set.copyOf(all);
    }
}
