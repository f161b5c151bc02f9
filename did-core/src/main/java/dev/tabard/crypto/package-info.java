/**
 * Keys and signatures. {@link dev.tabard.crypto.KeyType} is the algorithm allow-list;
 * {@link dev.tabard.crypto.VerificationKey} is a validated public key; {@link dev.tabard.crypto.Signer}
 * abstracts where a private key lives; {@link dev.tabard.crypto.KeyPair} is the in-memory signer.
 *
 * <pre>{@code
 * KeyPair kp = KeyPair.generate(KeyType.ED25519, new SecureRandom());
 * byte[] sig = kp.sign(message);
 * kp.publicKey().verifier().verify(message, sig); // throws ProblemException if invalid
 * }</pre>
 */
package dev.tabard.crypto;
