package dev.portcullis.rego.host;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature algorithms of JWS (RFC 7518) as Go's crypto packages check them. Every verify
 * answers true or false; a key of the wrong type is simply "not verified".
 */
final class Sig {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Sig() {}

    /** JWS algorithm -> digest name (EdDSA signs the message itself). */
    static String digest(String alg) {
        return switch (alg.substring(2)) {
            case "256" -> "SHA-256";
            case "384" -> "SHA-384";
            case "512" -> "SHA-512";
            default -> throw new IllegalArgumentException(alg);
        };
    }

    static boolean known(String alg) {
        return switch (alg) {
            case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384",
                    "HS512", "EdDSA" -> true;
            default -> false;
        };
    }

    static byte[] hash(String digest, byte[] msg) {
        try {
            return MessageDigest.getInstance(digest).digest(msg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(String digest, byte[] key, byte[] msg) {
        try {
            String name = "Hmac" + digest.replace("-", "");
            Mac mac = Mac.getInstance(name);
            // Go's hmac accepts an empty key; SecretKeySpec does not
            mac.init(key.length == 0 ? new EmptyKey(name) : new SecretKeySpec(key, name));
            return mac.doFinal(msg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** rsa.VerifyPKCS1v15 over the message's digest. */
    static boolean rsaPkcs1(PublicKey key, String digest, byte[] msg, byte[] sig) {
        if (!(key instanceof RSAPublicKey rsa) || !rsaSizeOk(rsa) || sig.length != size(rsa)) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(digest.replace("-", "") + "withRSA");
            s.initVerify(rsa);
            s.update(msg);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * rsa.VerifyPSS over the message's digest; {@code saltLength} < 0 detects the salt length
     * from the signature (Go's PSSSaltLengthAuto).
     */
    static boolean rsaPss(PublicKey key, String digest, byte[] msg, byte[] sig, int saltLength) {
        if (!(key instanceof RSAPublicKey rsa) || !rsaSizeOk(rsa) || sig.length != size(rsa)) {
            return false;
        }
        BigInteger s = new BigInteger(1, sig);
        if (s.compareTo(rsa.getModulus()) >= 0) {
            return false;
        }
        byte[] m = s.modPow(rsa.getPublicExponent(), rsa.getModulus()).toByteArray();
        int emBits = rsa.getModulus().bitLength() - 1;
        int emLen = (emBits + 7) / 8;
        byte[] em = new byte[emLen];
        int strip = 0;
        while (strip < m.length && m.length - strip > emLen) {
            if (m[strip] != 0) {
                return false;
            }
            strip++;
        }
        System.arraycopy(m, strip, em, emLen - (m.length - strip), m.length - strip);
        byte[] mHash = hash(digest, msg);
        int hLen = mHash.length;
        if (emLen < hLen + 2 || em[emLen - 1] != (byte) 0xbc) {
            return false;
        }
        int dbLen = emLen - hLen - 1;
        byte[] h = Arrays.copyOfRange(em, dbLen, emLen - 1);
        int topBits = 8 * emLen - emBits;
        int topMask = 0xff >> topBits;
        if ((em[0] & ~topMask & 0xff) != 0) {
            return false;
        }
        byte[] db = mgf1(digest, h, dbLen);
        for (int i = 0; i < dbLen; i++) {
            db[i] ^= em[i];
        }
        db[0] &= (byte) topMask;
        int sLen = saltLength;
        if (sLen < 0) {
            int one = -1;
            for (int i = 0; i < dbLen; i++) {
                if (db[i] == 1) {
                    one = i;
                    break;
                }
            }
            if (one < 0) {
                return false;
            }
            sLen = dbLen - one - 1;
        }
        int psLen = emLen - hLen - sLen - 2;
        if (psLen < 0) {
            return false;
        }
        for (int i = 0; i < psLen; i++) {
            if (db[i] != 0) {
                return false;
            }
        }
        if (db[psLen] != 1) {
            return false;
        }
        ByteArrayOutputStream mp = new ByteArrayOutputStream();
        mp.writeBytes(new byte[8]);
        mp.writeBytes(mHash);
        mp.writeBytes(Arrays.copyOfRange(db, dbLen - sLen, dbLen));
        return MessageDigest.isEqual(h, hash(digest, mp.toByteArray()));
    }

    /** ecdsa.Verify of r and s (given as big-endian bytes) over the message's digest. */
    static boolean ecdsa(PublicKey key, String digest, byte[] msg, byte[] r, byte[] s) {
        if (!(key instanceof ECPublicKey)) {
            return false;
        }
        try {
            Signature v = Signature.getInstance(digest.replace("-", "") + "withECDSA");
            v.initVerify(key);
            v.update(msg);
            return v.verify(der(new BigInteger(1, r), new BigInteger(1, s)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** ed25519.Verify of the message itself. */
    static boolean ed25519(PublicKey key, byte[] msg, byte[] sig) {
        if (!(key instanceof EdECPublicKey) || sig.length != 64) {
            return false;
        }
        try {
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(key);
            v.update(msg);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Signs as JWS does (ES*: r||s of the curve's size; PS*: salt as long as the hash). */
    static byte[] sign(Jwk key, String alg, byte[] msg) throws BuiltinException {
        try {
            if (alg.startsWith("HS")) {
                if (key.secret() == null) {
                    throw new BuiltinException("invalid key type for " + alg + ": []byte is required");
                }
                return hmac(digest(alg), key.secret(), msg);
            }
            PrivateKey priv = key.privateKey();
            if (priv == null) {
                throw new BuiltinException("a private key is required to sign with " + alg);
            }
            Signature s;
            if (alg.startsWith("RS") && key.kty().equals("RSA")) {
                s = Signature.getInstance(digest(alg).replace("-", "") + "withRSA");
            } else if (alg.startsWith("PS") && key.kty().equals("RSA")) {
                s = Signature.getInstance("RSASSA-PSS");
                String d = digest(alg);
                s.setParameter(new PSSParameterSpec(d, "MGF1", new MGF1ParameterSpec(d), hash(d, new byte[0]).length, 1));
            } else if (alg.startsWith("ES") && key.kty().equals("EC")) {
                s = Signature.getInstance(digest(alg).replace("-", "") + "withECDSAinP1363Format");
            } else if (alg.equals("EdDSA") && key.kty().equals("OKP")) {
                s = Signature.getInstance("Ed25519");
            } else {
                throw new BuiltinException("invalid key type " + key.kty() + " for " + alg);
            }
            s.initSign(priv, RANDOM);
            s.update(msg);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new BuiltinException("failed to sign: " + e.getMessage(), e);
        }
    }

    /** Go (1.24+) refuses RSA keys under 1024 bits. */
    private static boolean rsaSizeOk(RSAPublicKey k) {
        return k.getModulus().bitLength() >= 1024;
    }

    private static int size(RSAPublicKey k) {
        return (k.getModulus().bitLength() + 7) / 8;
    }

    private static byte[] mgf1(String digest, byte[] seed, int len) {
        byte[] out = new byte[len];
        int done = 0;
        for (int counter = 0; done < len; counter++) {
            byte[] c = {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter};
            byte[] in = new byte[seed.length + 4];
            System.arraycopy(seed, 0, in, 0, seed.length);
            System.arraycopy(c, 0, in, seed.length, 4);
            byte[] h = hash(digest, in);
            int n = Math.min(h.length, len - done);
            System.arraycopy(h, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static byte[] der(BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        derInt(body, rb);
        derInt(body, sb);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        derLen(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void derInt(ByteArrayOutputStream out, byte[] v) {
        out.write(0x02);
        derLen(out, v.length);
        out.writeBytes(v);
    }

    private static void derLen(ByteArrayOutputStream out, int n) {
        if (n < 128) {
            out.write(n);
        } else if (n < 256) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
    }

    /** An HMAC key of zero bytes (Go allows it; SecretKeySpec rejects it). */
    private record EmptyKey(String algorithm) implements javax.crypto.SecretKey {
        @Override
        public String getAlgorithm() {
            return algorithm;
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return new byte[0];
        }
    }
}
