/**
 * Typed failures: {@link dev.tabard.problem.ProblemType} names each kind as the W3C specs do,
 * {@link dev.tabard.problem.Problem} is one occurrence, {@link dev.tabard.problem.ProblemException} carries
 * them out of parsers and signers, and {@link dev.tabard.problem.ProblemJson} renders RFC 9457 problem
 * details.
 *
 * <pre>{@code
 * try {
 *     Did did = Did.parse(input);
 * } catch (ProblemException e) {
 *     ObjectNode body = ProblemJson.of(e.problems(), null); // application/problem+json
 * }
 * }</pre>
 */
package dev.tabard.problem;
