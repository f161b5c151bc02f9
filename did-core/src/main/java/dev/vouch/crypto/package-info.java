/**
 * Keys and signatures. {@link dev.vouch.crypto.KeyType} is the algorithm allow-list;
 * {@link dev.vouch.crypto.VerificationKey} is a validated public key; {@link dev.vouch.crypto.Signer}
 * abstracts where a private key lives; {@link dev.vouch.crypto.KeyPair} is the in-memory signer.
 *
 * <pre>{@code
 * KeyPair kp = KeyPair.generate(KeyType.ED25519, new SecureRandom());
 * byte[] sig = kp.sign(message);
 * kp.publicKey().verifier().verify(message, sig); // throws ProblemException if invalid
 * }</pre>
 */
package dev.vouch.crypto;
