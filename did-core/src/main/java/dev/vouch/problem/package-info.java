/**
 * Typed failures: {@link dev.vouch.problem.ProblemType} names each kind as the W3C specs do,
 * {@link dev.vouch.problem.Problem} is one occurrence, {@link dev.vouch.problem.ProblemException} carries
 * them out of parsers and signers, and {@link dev.vouch.problem.ProblemJson} renders RFC 9457 problem
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
package dev.vouch.problem;
