/**
 * The architecture test: the module graph of ARCHITECTURE.md and the package rules of STYLE.md, checked with
 * ArchUnit on every module's compiled classes at each {@code mvn verify}. {@link
 * dev.tabard.vectors.architecture.Modules} places a class in a module by where it was loaded from (packages such as
 * {@code dev.tabard.verifier} and {@code dev.tabard.verifier.http} belong to different modules), {@link
 * dev.tabard.vectors.architecture.ArchitectureRules} names each rule, and a second test proves each can fail.
 *
 * <pre>{@code
 * JavaClasses classes = new ClassFileImporter().importPackages("dev.tabard");
 * ArchitectureRules.all(Modules.byLocation()).forEach(rule -> rule.check(classes));
 * }</pre>
 */
package dev.tabard.vectors.architecture;
