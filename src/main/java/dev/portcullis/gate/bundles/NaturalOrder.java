package dev.portcullis.gate.bundles;

import java.util.Comparator;

/**
 * Natural ordering of revisions: the strings are split into runs of digits and non-digits; digit runs compare by
 * numeric value ({@code 9 < 10}, leading zeros ignored), other runs lexicographically; ties fall back to plain
 * {@link String#compareTo}. So {@code 1 < 2 < 10}, {@code v1.9.0 < v1.10.0}, {@code 2024-01-02 < 2024-01-10}.
 */
public final class NaturalOrder implements Comparator<String> {

    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {}

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String da = stripZeros(a.substring(si, i));
                String db = stripZeros(b.substring(sj, j));
                if (da.length() != db.length()) {
                    return Integer.compare(da.length(), db.length());
                }
                int c = da.compareTo(db);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    private static String stripZeros(String s) {
        int k = 0;
        while (k < s.length() - 1 && s.charAt(k) == '0') {
            k++;
        }
        return s.substring(k);
    }
}
