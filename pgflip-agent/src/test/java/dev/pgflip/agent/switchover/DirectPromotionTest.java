package dev.pgflip.agent.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.watch.PromotionClaims;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The outcomes that decide whether the switchover may start its old primary again. A connection that breaks in the
 * middle of {@code pg_promote()} cannot be produced on demand on the lab, so the target and the witness are scripted
 * JDBC connections here: each statement answers a row, no row, or an error with the SQLSTATE pgjdbc would give.
 */
class DirectPromotionTest {
    /** What a scripted connection answers to a statement whose SQL contains a key. */
    private interface Answer {
        Object apply(String sql) throws SQLException;
    }

    private static final Object ROW = new Object();
    private static final Object NO_ROW = new Object();

    private final List<String> witnessSaw = new ArrayList<>();

    private static SQLException brokenConnection() {
        return new SQLException("An I/O error occurred while sending to the backend.", "08006");
    }

    @Test
    void aClaimedAndSignalledTargetThatLeavesRecoveryIsPromoted() {
        int[] polls = {0};
        DirectPromotion p = promotion(sql -> sql.contains("pg_promote") ? true
                : sql.contains("pg_is_in_recovery") ? ++polls[0] < 3 : fail(sql), claim(ROW));

        DirectPromotion.Result result = promote(p, Duration.ofSeconds(5));

        assertThat(result.outcome()).isEqualTo(DirectPromotion.Outcome.PROMOTED);
        assertThat(polls[0]).as("polled until it answered as a primary").isEqualTo(3);
        assertThat(witnessSaw).containsExactly(PromotionClaims.CLAIM);
    }

    @Test
    void aRefusedClaimPromotesNothing() {
        List<String> targetSaw = new ArrayList<>();
        DirectPromotion p = promotion(sql -> {
            targetSaw.add(sql);
            return true;
        }, claim(NO_ROW));

        DirectPromotion.Result result = promote(p, Duration.ofSeconds(5));

        assertThat(result.outcome()).isEqualTo(DirectPromotion.Outcome.NOT_PROMOTED);
        assertThat(result.detail()).contains("the witness refused the claim");
        assertThat(targetSaw).as("pg_promote() never sent").isEmpty();
    }

    @Test
    void anErrorRaisedByPgPromoteItselfWithdrawsTheClaim() {
        DirectPromotion p = promotion(sql -> {
            throw new SQLException("ERROR: permission denied for function pg_promote", "42501");
        }, claim(ROW));

        DirectPromotion.Result result = promote(p, Duration.ofSeconds(5));

        assertThat(result.outcome()).isEqualTo(DirectPromotion.Outcome.NOT_PROMOTED);
        assertThat(result.detail()).contains("permission denied", "its claim on the witness was withdrawn");
        assertThat(witnessSaw).containsExactly(PromotionClaims.CLAIM, PromotionClaims.WITHDRAW_CLAIM);
    }

    @Test
    void aClaimThatCannotBeWithdrawnKeepsTheOldPrimaryDown() {
        DirectPromotion p = promotion(sql -> false, sql -> {
            witnessSaw.add(sql);
            if (sql.equals(PromotionClaims.WITHDRAW_CLAIM)) {
                throw brokenConnection();
            }
            return ROW;
        });

        DirectPromotion.Result result = promote(p, Duration.ofSeconds(5));

        assertThat(result.outcome()).as("a claim left standing would fence the old primary once started")
                .isEqualTo(DirectPromotion.Outcome.UNKNOWN);
        assertThat(result.detail()).contains("could not signal its startup process", "could not be withdrawn");
    }

    @Test
    void aConnectionThatBreaksDuringPgPromoteLeavesTheOutcomeUnknownAndTheClaimStanding() {
        DirectPromotion p = promotion(sql -> {
            throw brokenConnection();
        }, claim(ROW));

        DirectPromotion.Result result = promote(p, Duration.ofSeconds(5));

        assertThat(result.outcome()).isEqualTo(DirectPromotion.Outcome.UNKNOWN);
        assertThat(result.detail()).contains("broke during pg_promote()", "it may be promoting");
        assertThat(witnessSaw).as("the claim stays: the target may be promoting").containsExactly(PromotionClaims.CLAIM);
    }

    @Test
    void aTargetStillInRecoveryAfterTheWaitOrUnreachableIsUnknown() {
        DirectPromotion slow = promotion(sql -> sql.contains("pg_promote") || sql.contains("pg_is_in_recovery"),
                claim(ROW));
        assertThat(promote(slow, Duration.ofMillis(100)))
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(DirectPromotion.Outcome.UNKNOWN))
                .satisfies(r -> assertThat(r.detail()).contains("still in recovery after 100 ms"));

        DirectPromotion gone = promotion(sql -> {
            if (sql.contains("pg_is_in_recovery")) {
                throw brokenConnection();
            }
            return true;
        }, claim(ROW));
        assertThat(promote(gone, Duration.ofSeconds(5)))
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(DirectPromotion.Outcome.UNKNOWN))
                .satisfies(r -> assertThat(r.detail()).contains("cannot ask n2 whether it was promoted"));
    }

    @Test
    void aClaimMadeBeforeTheTargetHadEverythingIsWithdrawnWhenItNeverGetsIt() {
        List<String> targetSaw = new ArrayList<>();
        DirectPromotion p = promotion(sql -> {
            targetSaw.add(sql);
            return true;
        }, claim(ROW));

        assertThat(p.claimFirst()).as("claimed").isEmpty();
        DirectPromotion.Result result = p.withdrawn("n2 had not received n1's shutdown checkpoint");

        assertThat(result.outcome()).isEqualTo(DirectPromotion.Outcome.NOT_PROMOTED);
        assertThat(witnessSaw).containsExactly(PromotionClaims.CLAIM, PromotionClaims.WITHDRAW_CLAIM);
        assertThat(targetSaw).as("pg_promote() never sent").isEmpty();
    }

    @Test
    void aClaimTheWitnessCannotTakeBackKeepsTheOldPrimaryDown() {
        DirectPromotion p = promotion(sql -> fail(sql), sql -> {
            witnessSaw.add(sql);
            if (sql.equals(PromotionClaims.WITHDRAW_CLAIM)) {
                throw brokenConnection();
            }
            return ROW;
        });

        assertThat(p.claimFirst()).isEmpty();
        assertThat(p.withdrawn("n2 had not received n1's shutdown checkpoint").outcome())
                .isEqualTo(DirectPromotion.Outcome.UNKNOWN);
    }

    @Test
    void withoutAWitnessNothingIsClaimedOrWithdrawn() {
        DirectPromotion p = new DirectPromotion("n2", connection(sql -> false), Optional.empty());

        DirectPromotion.Result result = promote(p, Duration.ofSeconds(5));

        assertThat(result.outcome()).isEqualTo(DirectPromotion.Outcome.NOT_PROMOTED);
        assertThat(result.detail()).doesNotContain("witness");
    }

    /** The switchover's order: the claim, then pg_promote (its result, or why nothing was claimed). */
    private static DirectPromotion.Result promote(DirectPromotion p, Duration wait) {
        return p.claimFirst().orElseGet(() -> p.promoteClaimed(wait));
    }

    private Answer claim(Object row) {
        return sql -> {
            witnessSaw.add(sql);
            return sql.equals(PromotionClaims.CLAIM) ? row : 1;
        };
    }

    private DirectPromotion promotion(Answer target, Answer witness) {
        return new DirectPromotion("n2", connection(target), Optional.of(connection(witness)));
    }

    private static Object fail(String sql) {
        throw new AssertionError("unexpected statement: " + sql);
    }

    /** A connection whose statements (plain or prepared) answer through {@code answer}. */
    private static Connection connection(Answer answer) {
        return proxy(Connection.class, (method, args) -> switch (method) {
            case "createStatement" -> proxy(Statement.class, (m, a) -> switch (m) {
                case "executeQuery" -> resultSet(answer.apply((String) a[0]));
                default -> null;
            });
            case "prepareStatement" -> {
                String sql = (String) args[0];
                yield proxy(PreparedStatement.class, (m, a) -> switch (m) {
                    case "executeQuery" -> resultSet(answer.apply(sql));
                    case "executeUpdate" -> {
                        Object r = answer.apply(sql);
                        yield r instanceof Integer i ? i : 1;
                    }
                    default -> null;
                });
            }
            default -> null;
        });
    }

    /** One row holding the answer (a boolean), or none. */
    private static ResultSet resultSet(Object answer) {
        boolean[] read = {false};
        return proxy(ResultSet.class, (m, a) -> switch (m) {
            case "next" -> {
                boolean has = !read[0] && answer != NO_ROW;
                read[0] = true;
                yield has;
            }
            case "getBoolean" -> answer instanceof Boolean b && b;
            default -> null;
        });
    }

    private interface Handler {
        Object handle(String method, Object[] args) throws SQLException;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler handler) {
        return (T) Proxy.newProxyInstance(DirectPromotionTest.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> {
                    if (method.getName().equals("close") || method.getName().startsWith("set")) {
                        return null;
                    }
                    Object result = handler.handle(method.getName(), args);
                    if (result == null && method.getReturnType() == boolean.class) {
                        return false;
                    }
                    if (result == null && method.getReturnType() == int.class) {
                        return 0;
                    }
                    return result;
                });
    }
}
