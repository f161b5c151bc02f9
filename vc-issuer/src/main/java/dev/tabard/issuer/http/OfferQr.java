package dev.tabard.issuer.http;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.tabard.problem.ProblemException;
import dev.tabard.problem.ProblemType;
import java.util.Map;

/**
 * A credential offer URL as a QR code in SVG, drawn here so that the console never sends an offer (a bearer grant
 * until it is redeemed) to a third-party QR service. One square unit per module, a quiet zone of four, error
 * correction M: a phone camera reads it off a screen.
 */
final class OfferQr {

    /** Longer text does not fit a QR code at level M (version 40 holds 2,331 bytes); offers are far shorter. */
    static final int MAX_CHARS = 2_000;

    private OfferQr() {
    }

    /** The SVG document of {@code text}'s QR code. */
    static String svg(String text) {
        if (text.length() > MAX_CHARS) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "a QR code holds at most " + MAX_CHARS + " characters here");
        }
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(EncodeHintType.MARGIN, 4,
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new ProblemException(ProblemType.LIMIT_EXCEEDED, "the offer does not fit a QR code");
        }
        int w = m.getWidth();
        int h = m.getHeight();
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < h; y++) {
            int x = 0;
            while (x < w) {
                if (!m.get(x, y)) {
                    x++;
                    continue;
                }
                int run = 1;
                while (x + run < w && m.get(x + run, y)) {
                    run++;
                }
                path.append('M').append(x).append(' ').append(y).append('h').append(run).append("v1h-").append(run).append('z');
                x += run;
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + w + " " + h + "\" width=\"" + w * 4 + "\" height=\""
                + h * 4 + "\" shape-rendering=\"crispEdges\"><rect width=\"" + w + "\" height=\"" + h + "\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
