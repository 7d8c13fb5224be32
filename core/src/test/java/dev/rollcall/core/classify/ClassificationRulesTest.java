package dev.rollcall.core.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Urgency;

class ClassificationRulesTest {

    private static ClassificationRules yaml(String text) {
        return ClassificationRules.parse(text, "test-rules.yaml");
    }

    @Test
    void theFirstMatchingRuleWins() {
        ClassificationRules rules = yaml("""
                version: 1
                rules:
                  - id: first
                    match: {source: cloudwatch}
                    urgency: low
                  - id: second
                    match: {source: cloudwatch, name: checkout-*}
                    urgency: high
                """);
        Classification classification = rules.classify(TestAlert.of("cloudwatch", "checkout-5xx"));
        assertThat(classification).isEqualTo(new Classification(Urgency.LOW, null, null, "first", false));
        assertThat(rules.ruleIds()).containsExactly("first", "second");
    }

    @Test
    void anAlertNoRuleMatchesIsHighAndUnclassified() {
        ClassificationRules rules = yaml("""
                version: 1
                rules:
                  - {id: sentry, match: {source: sentry}, urgency: low}
                """);
        assertThat(rules.classify(TestAlert.of("cloudwatch", "x")))
                .isEqualTo(new Classification(Urgency.HIGH, null, null, null, true));
        assertThat(ClassificationRules.empty().classify(TestAlert.of("sentry", "x")).unclassified()).isTrue();
    }

    @Test
    void aRuleWithoutConditionsMatchesEverything() {
        ClassificationRules rules = yaml("""
                version: 1
                rules:
                  - {id: everything-else, urgency: low}
                """);
        assertThat(rules.classify(TestAlert.of("custom", "x")).ruleId()).isEqualTo("everything-else");
    }

    static Stream<Arguments> conditions() {
        TestAlert alert = TestAlert.of("cloudwatch", "checkout-prod-5xx")
                .title("Checkout 5xx above 1%")
                .at("123456789012", "eu-west-1")
                .service("checkout")
                .state(AlertState.FIRING)
                .severity(Severity.CRITICAL)
                .label("team", "payments")
                .label("Dimension.ApiName", "checkout");
        return Stream.of(
                Arguments.of("{source: cloudwatch}", alert, true),
                Arguments.of("{source: [sentry, cloudwatch]}", alert, true),
                Arguments.of("{source: sentry}", alert, false),
                Arguments.of("{name: checkout-*}", alert, true),
                Arguments.of("{name: '*-5xx'}", alert, true),
                Arguments.of("{name: 'checkout-?rod-5xx'}", alert, true),
                Arguments.of("{name: checkout}", alert, false),
                Arguments.of("{name: {regex: 'checkout-(prod|staging)-.*'}}", alert, true),
                Arguments.of("{name: {regex: 'checkout'}}", alert, false),
                Arguments.of("{name: {glob: 'CHECKOUT-*'}}", alert, false),
                Arguments.of("{name: {regex: '(?i)CHECKOUT-.*'}}", alert, true),
                Arguments.of("{title: '*5xx*'}", alert, true),
                Arguments.of("{title: {regex: '.*above [0-9]+%'}}", alert, true),
                Arguments.of("{account: '123456789012'}", alert, true),
                Arguments.of("{account: 123456789012}", alert, true),
                Arguments.of("{account: ['111111111111', '123456789012']}", alert, true),
                Arguments.of("{account: '111111111111'}", alert, false),
                Arguments.of("{region: eu-*}", alert, true),
                Arguments.of("{region: us-east-1}", alert, false),
                Arguments.of("{service: checkout}", alert, true),
                Arguments.of("{environment: prod}", alert, false),
                Arguments.of("{severity: [critical, high]}", alert, true),
                Arguments.of("{severity: low}", alert, false),
                Arguments.of("{state: firing}", alert, true),
                Arguments.of("{state: [resolved, info]}", alert, false),
                Arguments.of("{labels: {team: payments}}", alert, true),
                Arguments.of("{labels: {team: pay*, Dimension.ApiName: checkout}}", alert, true),
                Arguments.of("{labels: {team: search}}", alert, false),
                Arguments.of("{labels: {owner: '*'}}", alert, false),
                Arguments.of("{source: cloudwatch, severity: critical, labels: {team: payments}, name: checkout-*}", alert, true),
                Arguments.of("{source: cloudwatch, severity: critical, labels: {team: search}}", alert, false),
                Arguments.of("{title: '*'}", TestAlert.of("cloudwatch", "no-title"), false));
    }

    @ParameterizedTest(name = "{0} matches: {2}")
    @MethodSource("conditions")
    void matchesEachCondition(String match, TestAlert alert, boolean matches) {
        ClassificationRules rules = yaml("version: 1\nrules:\n  - {id: r, match: " + match + ", urgency: low}\n");
        assertThat(rules.classify(alert).unclassified()).isEqualTo(!matches);
    }

    @Test
    void setsServiceAndEnvironmentLiterallyFromLabelsOrFromNameCaptures() {
        ClassificationRules rules = yaml("""
                version: 1
                rules:
                  - id: from-name
                    match: {name: {regex: '(?<svc>[a-z]+)-(?<env>prod|staging)-.*'}}
                    urgency: high
                    service: ${svc}
                    environment: ${env}
                  - id: from-labels
                    match: {labels: {team: '*'}}
                    urgency: low
                    service: team-${labels.team}
                    environment: production
                """);
        assertThat(rules.classify(TestAlert.of("cloudwatch", "checkout-staging-latency")))
                .isEqualTo(new Classification(Urgency.HIGH, "checkout", "staging", "from-name", false));
        assertThat(rules.classify(TestAlert.of("sentry", "Error").label("team", "payments")))
                .isEqualTo(new Classification(Urgency.LOW, "team-payments", "production", "from-labels", false));
    }

    @Test
    void aTemplateWhoseLabelIsMissingSetsNothing() {
        ClassificationRules rules = yaml("""
                version: 1
                rules:
                  - {id: r, urgency: low, service: '${labels.app}', environment: '${labels.env}-x'}
                """);
        assertThat(rules.classify(TestAlert.of("custom", "x"))).isEqualTo(new Classification(Urgency.LOW, null, null, "r", false));
    }

    @Test
    void capturesOfAFailedRuleDoNotLeakIntoTheNext() {
        ClassificationRules rules = yaml("""
                version: 1
                rules:
                  - {id: a, match: {name: {regex: '(?<svc>[a-z]+)-.*'}, title: nope}, urgency: low, service: '${svc}'}
                  - {id: b, match: {title: {regex: '(?<svc>[a-z]+)? .*'}}, urgency: high, service: 'x${svc}'}
                """);
        Classification classification = rules.classify(TestAlert.of("cloudwatch", "checkout-5xx").title(" started"));
        assertThat(classification.ruleId()).isEqualTo("b");
        assertThat(classification.service()).isNull();
    }

    @Test
    void readsJsonRulesFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rules.json");
        Files.writeString(file, """
                {"version": 1,
                 "fingerprints": {"cloudwatch": ["account", "name"]},
                 "rules": [{"id": "all-cloudwatch", "match": {"source": ["cloudwatch"]}, "urgency": "ignore"}]}
                """);
        ClassificationRules rules = ClassificationRules.load(file);
        assertThat(rules.classify(TestAlert.of("cloudwatch", "x")).urgency()).isEqualTo(Urgency.IGNORE);
        assertThat(rules.fingerprint(TestAlert.of("cloudwatch", "x").at("1", "r")).value()).isEqualTo("cloudwatch:1|x");
    }

    @Test
    void aMissingFileIsReportedByName(@TempDir Path dir) {
        Path file = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ClassificationRules.load(file))
                .isInstanceOf(RulesFileException.class)
                .hasMessage("rules file " + file + " does not exist");
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("rules: [", "is not valid YAML or JSON"),
                Arguments.of("- version: 1", "must be a mapping with 'version' and 'rules'"),
                Arguments.of("rules: []", "needs 'version: 1' (found none)"),
                Arguments.of("version: 2\nrules: []", "needs 'version: 1' (found '2')"),
                Arguments.of("version: 1\nrule: []", "the file: unknown key 'rule' (allowed: description, fingerprints, rules, version)"),
                Arguments.of("version: 1\nrules: {id: a}", "'rules' must be a list"),
                Arguments.of("version: 1\nrules: [just-text]", "rule #1: must be a mapping with id, match and urgency"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low}\n  - {urgency: low}", "rule #2: needs an 'id'"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low}\n  - {id: a, urgency: high}",
                        "rule 'a' (#2): id is used by an earlier rule too"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgncy: low}", "rule 'a' (#1): unknown key 'urgncy'"),
                Arguments.of("version: 1\nrules:\n  - {id: a, match: {source: x}}", "rule 'a' (#1): needs an 'urgency' (high, low or ignore)"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: page}", "rule 'a' (#1): urgency 'page' is not one of: high, low, ignore"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: [source]}", "rule 'a' (#1): 'match' must be a mapping of conditions"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: {nmae: x}}", "rule 'a' (#1): match: unknown key 'nmae'"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: {severity: sev1}}",
                        "rule 'a' (#1): match.severity 'sev1' is not one of: critical, high, medium, low, info"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: {state: alarm}}",
                        "rule 'a' (#1): match.state 'alarm' is not one of: firing, resolved, info"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: {name: {regex: '('}}}",
                        "rule 'a' (#1): match.name: regex '(' is invalid: Unclosed group"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: {name: {re: x}}}",
                        "rule 'a' (#1): match.name: must be text (a glob), {regex: '...'}, {glob: '...'} or a list of them"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: {source: []}}",
                        "rule 'a' (#1): match.source: an empty list matches nothing"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: {labels: [team]}}",
                        "rule 'a' (#1): match.labels must map a label key to a pattern"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: {labels: {team: {regex: '['}}}}",
                        "rule 'a' (#1): match.labels.team: regex '[' is invalid"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, service: '${svc}'}",
                        "rule 'a' (#1): service: '${svc}' names no group of this rule's regexes (it has none"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, match: {name: {regex: '(?<app>.*)'}}, service: '${svc}'}",
                        "rule 'a' (#1): service: '${svc}' names no group of this rule's regexes (it has: app)"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, environment: '${labels.env'}",
                        "rule 'a' (#1): environment: '${labels.env' has an unclosed ${"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: low, environment: {label: env}}",
                        "rule 'a' (#1): environment: must be text such as"),
                Arguments.of("version: 1\nrules:\n  - {id: a, id: b, urgency: low}", "Duplicate field 'id'"),
                Arguments.of("version: 1\nfingerprints: [cloudwatch]", "'fingerprints' must map a source to its list of fields"),
                Arguments.of("version: 1\nfingerprints: {cloudwatch: []}", "fingerprints.cloudwatch: an empty list"),
                Arguments.of("version: 1\nfingerprints: {cloudwatch: ['account name']}",
                        "fingerprints.cloudwatch: field 'account name' has a character a field name cannot have: ' '"),
                Arguments.of("version: 1\nfingerprints: {cloudwatch: ['labels.']}", "fingerprints.cloudwatch: field 'labels.' names no label"),
                Arguments.of("version: 1\nfingerprints: {sentry: ['issue_id|state']}",
                        "fingerprints.sentry: field 'issue_id|state' is the alert's state, which an alert's firing and its resolution do not share"),
                Arguments.of("version: 1\nfingerprints: {cloudwatch: ['name|']}", "fingerprints.cloudwatch: field 'name|' has an empty field name"),
                // Conditions written without a value: each read as no condition, the rule matched every alert.
                Arguments.of("version: 1\nrules:\n  - id: ignore-staging\n    match:\n      account:\n    urgency: ignore",
                        "rule 'ignore-staging' (#1): match.account: has no value, so it would match every alert"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: ignore, match: {severity: }}", "rule 'a' (#1): match.severity: has no value"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: ignore, match: {state: }}", "rule 'a' (#1): match.state: has no value"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: ignore, match: {labels: }}", "rule 'a' (#1): match.labels: has no value"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: ignore, match: {labels: {team: }}}", "rule 'a' (#1): match.labels.team: has no value"),
                Arguments.of("version: 1\nrules:\n  - {id: a, urgency: ignore, match: }", "rule 'a' (#1): match has no conditions"),
                Arguments.of("version: 1.9\nrules: []", "needs 'version: 1' (found '1.9')"),
                Arguments.of("version: 4294967297\nrules: []", "needs 'version: 1' (found '4294967297')"),
                // A misspelt field or source: accepted, it made every account's alarm of one name one alert, or applied to none.
                Arguments.of("version: 1\nfingerprints: {cloudwatch: [acount, region, name]}", "fingerprints.cloudwatch: field 'acount' is no field of an alert"),
                Arguments.of("version: 1\nfingerprints: {sentry: ['issue_id|alert_rule']}", "field 'issue_id|alert_rule' is no field of an alert"),
                Arguments.of("version: 1\nfingerprints: {cloudwach: [account, name]}", "fingerprints.cloudwach: no alert has the source 'cloudwach'"),
                // A syntax error names where it is.
                Arguments.of("version: 1\nrules: [{id: a\n", " at line "));
    }

    /** A template may use a group that only a label's regex defines. */
    @Test
    void aTemplateMayNameAGroupOfALabelsRegex() {
        ClassificationRules rules = yaml("""
                version: 1
                rules:
                  - {id: a, match: {labels: {app: {regex: '(?<svc>[a-z]+)-api'}}}, urgency: low, service: '${svc}'}
                """);
        assertThat(rules.classify(TestAlert.of("custom", "x").label("app", "checkout-api")).service()).isEqualTo("checkout");
    }

    @Test
    void versionOneMayBeWrittenAsADecimal() {
        assertThat(yaml("version: 1.0\nrules: [{id: a, urgency: low}]").classify(TestAlert.of("cloudwatch", "x")).urgency())
                .isEqualTo(Urgency.LOW);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badFiles")
    void rejectsABadFileSayingWhereAndWhat(String text, String problem) {
        assertThatThrownBy(() -> yaml(text))
                .isInstanceOf(RulesFileException.class)
                .hasMessageStartingWith("rules file test-rules.yaml: ")
                .hasMessageContaining(problem);
    }

    @Test
    void theExampleInTheReadmeIsValid() {
        ClassificationRules rules = yaml("""
                version: 1                       # required; the only version so far
                fingerprints:                    # optional: replaces a source's default fingerprint fields
                  cloudwatch: [account, region, name, labels.Dimension.InstanceId]
                  alertmanager: ['alert_fingerprint|label_set']
                rules:                           # first match wins
                  - id: ignore-staging           # required, unique; errors name it
                    description: staging never pages
                    match:
                      account: ['111122223333', '444455556666']
                    urgency: ignore              # required: high, low or ignore
                  - id: checkout-alarms
                    match:
                      source: cloudwatch
                      name: {regex: '(?<svc>[a-z]+)-(?<env>prod|staging)-.*'}
                      severity: [critical, high]
                    urgency: high
                    service: ${svc}              # a named group of this rule's regexes
                    environment: ${env}
                  - id: team-tagged
                    match:
                      labels: {team: '*'}
                    urgency: low
                    service: team-${labels.team} # a label of the alert
                    environment: production      # literal text
                """);
        assertThat(rules.classify(TestAlert.of("cloudwatch", "checkout-prod-5xx").severity(Severity.CRITICAL)))
                .isEqualTo(new Classification(Urgency.HIGH, "checkout", "prod", "checkout-alarms", false));
        assertThat(rules.classify(TestAlert.of("cloudwatch", "x").at("111122223333", "eu-west-1")).urgency()).isEqualTo(Urgency.IGNORE);
        assertThat(rules.classify(TestAlert.of("sentry", "x").label("team", "web")))
                .isEqualTo(new Classification(Urgency.LOW, "team-web", "production", "team-tagged", false));
    }

    @Test
    void theBundledRulesLoad() {
        assertThat(ClassificationRules.bundled().ruleIds()).containsExactly(
                "cloudwatch-insufficient-data", "cloudwatch-actions-suppressed", "cloudwatch-muted", "ec2-and-rds-events", "health-issues", "health-planned-and-notices",
                "security-findings-severe", "security-findings-other", "ecs-and-batch-failures", "sentry-critical", "sentry-other",
                "pagerduty-high-urgency", "pagerduty-low-urgency", "metrics-alerts-severe", "metrics-alerts-other");
    }
}
