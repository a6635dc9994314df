import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Renders a tmux text capture of {@code memstat top} as a PNG, the way the terminal showed it: light text on a
 * dark background, the column titles (line 4) in reverse video and the key line (last) in bold. Used because
 * ImageMagick is not installed on the build machine:
 *
 * <pre>java -Djava.awt.headless=true docs/screenshots/RenderScreenshot.java CAPTURE.txt OUT.png</pre>
 */
public class RenderScreenshot {
    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        Font plain = new Font(Font.MONOSPACED, Font.PLAIN, 14);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics fm = probe.createGraphics().getFontMetrics(plain);
        int cols = lines.stream().mapToInt(String::length).max().orElse(80);
        int cw = fm.charWidth('M');
        int lh = fm.getHeight();
        int pad = 10;
        BufferedImage img = new BufferedImage(cols * cw + 2 * pad, lines.size() * lh + 2 * pad,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        Color bg = new Color(0x1e, 0x1e, 0x1e);
        Color fg = new Color(0xd4, 0xd4, 0xd4);
        g.setColor(bg);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int y = pad + i * lh;
            boolean inverse = i == 3;
            boolean bold = i == lines.size() - 1 || l.startsWith("keys:");
            if (inverse) {
                g.setColor(fg);
                g.fillRect(pad, y, l.length() * cw, lh);
            }
            g.setColor(inverse ? bg : fg);
            g.setFont(bold ? plain.deriveFont(Font.BOLD) : plain);
            g.drawString(l, pad, y + fm.getAscent());
        }
        ImageIO.write(img, "png", new File(args[1]));
    }
}
