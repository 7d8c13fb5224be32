package dev.rollcall.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * A Java Lambda function the way Rollcall deploys them: Java 25 on ARM64, SnapStart on a published version that
 * the {@code live} alias points at (everything invokes the alias), its own log group with the stack's retention,
 * and its own role that starts with nothing but writing to that log group.
 */
final class JavaFunction extends Construct {

    /** The alias every trigger and integration invokes: SnapStart only applies to published versions. */
    static final String ALIAS = "live";
    /** Where core's classes sit in a shaded jar: every handler calls them. */
    private static final String CORE_CLASSES = "dev/rollcall/core/";

    /**
     * What differs between the functions.
     *
     * @param timeout whole seconds, from {@link dev.rollcall.core.config.FunctionBudgets}, which local mode runs with too
     * @param vpc null for a function that needs no VPC (it talks to AWS APIs only)
     * @param reservedConcurrency null for a function that draws on the account's unreserved concurrency
     */
    record Spec(String description, Path jar, String handler, java.time.Duration timeout, Map<String, String> environment,
                Network vpc, Integer reservedConcurrency) {

        Spec(String description, Path jar, String handler, java.time.Duration timeout, Map<String, String> environment, Network vpc) {
            this(description, jar, handler, timeout, environment, vpc, null);
        }
    }

    private final Function function;
    private final Alias alias;
    private final Role role;
    private final LogGroup logGroup;

    JavaFunction(Construct scope, String id, Spec spec, FunctionDefaults defaults) {
        super(scope, id);
        this.logGroup = defaults.retention().logGroup(this, "Logs", RemovalPolicy.DESTROY);
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the Rollcall function " + id)
                .build();
        logGroup.grantWrite(role);

        Map<String, String> environment = new LinkedHashMap<>(defaults.environment());
        environment.put("JAVA_TOOL_OPTIONS", FunctionDefaults.JAVA_TOOL_OPTIONS);
        environment.putAll(spec.environment());
        Function.Builder builder = Function.Builder.create(this, "Function")
                .description(spec.description())
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(spec.jar().toString()))
                .handler(spec.handler())
                .memorySize(defaults.memoryMb())
                .timeout(Duration.seconds(spec.timeout().toSeconds()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .reservedConcurrentExecutions(spec.reservedConcurrency())
                .role(role)
                .logGroup(logGroup)
                .environment(environment);
        if (spec.vpc() != null) {
            builder.vpc(spec.vpc().vpc())
                    .vpcSubnets(spec.vpc().privateSubnets())
                    .securityGroups(List.of(spec.vpc().openSearchClients()));
            // The role is ours, so Lambda's VPC permissions are added here instead of the broader managed policy.
            AcceptedFindings.allowLambdaNetworkInterfaces(role);
        }
        this.function = builder.build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "SnapStart applies to function.currentVersion, which the alias below publishes and points at");
        warnUnlessJarHolds(spec.jar(), spec.handler());
        this.alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
    }

    /** A jar without the handler class, or without what it calls, deploys fine and fails on every invocation: say so at synth time. */
    private void warnUnlessJarHolds(Path jar, String handler) {
        whatTheJarLacks(jar, handler).ifPresent(lack -> Annotations.of(this).addWarningV2("rollcall:handlerNotInJar",
                jar + " has no " + lack + ": the function would fail on every invocation. Build the module's shaded jar first."));
    }

    /**
     * What {@code jar} lacks to run {@code handler}: the handler's class, or core's classes, which a module's plain jar
     * (not its shaded {@code -lambda.jar}) leaves out; empty when it holds both.
     */
    static Optional<String> whatTheJarLacks(Path jar, String handler) {
        String entry = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.getEntry(entry) == null) {
                return Optional.of(entry);
            }
            if (zip.stream().noneMatch(file -> file.getName().startsWith(CORE_CLASSES))) {
                return Optional.of(CORE_CLASSES + " classes (a module's plain jar, not its shaded -lambda.jar)");
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(jar + " is not a jar", e);
        }
    }

    Function function() {
        return function;
    }

    /** What triggers and integrations invoke. */
    Alias alias() {
        return alias;
    }

    Role role() {
        return role;
    }

    LogGroup logGroup() {
        return logGroup;
    }
}
