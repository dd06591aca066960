import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws Fleet Console's icon and writes every file the installers and the window use:
 * <pre>
 *   java jpackage/icons/DrawIcon.java          (from the project's root)
 * </pre>
 * The picture: a dark console panel with a prompt and three workload rows, two healthy (green) and
 * one that needs attention (amber), which is what the console is for. Drawn as vectors at each size,
 * so the small sizes stay sharp. Writes jpackage/icons/fleet-console.png (Linux, 256 px),
 * fleet-console.ico (Windows: 16, 32, 48, 256), fleet-console.icns (macOS: 128 to 1024) and the
 * window's icons under src/main/resources/fleet/console/app/icons/.
 */
public final class DrawIcon {

    private static final Color TOP = new Color(0x24, 0x4a, 0x6e);
    private static final Color BOTTOM = new Color(0x0e, 0x1c, 0x2b);
    private static final Color ROW = new Color(0x2b, 0x48, 0x66);
    private static final Color TEXT = new Color(0xc9, 0xd6, 0xe3);
    private static final Color OK = new Color(0x3f, 0xb9, 0x50);
    private static final Color WARN = new Color(0xf0, 0xa8, 0x2c);
    private static final Color PROMPT = new Color(0x7c, 0xc4, 0xff);

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path icons = root.resolve("jpackage/icons");
        Path window = root.resolve("src/main/resources/fleet/console/app/icons");
        Files.createDirectories(icons);
        Files.createDirectories(window);

        ImageIO.write(draw(256), "png", icons.resolve("fleet-console.png").toFile());
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            ImageIO.write(draw(size), "png", window.resolve("fleet-console-" + size + ".png").toFile());
        }
        Files.write(icons.resolve("fleet-console.ico"), ico(16, 32, 48, 256));
        Files.write(icons.resolve("fleet-console.icns"), icns());
        System.out.println("Icons written to " + icons + " and " + window);
    }

    /** The icon at size x size pixels, drawn on a 1024-unit canvas. */
    static BufferedImage draw(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(size / 1024.0, size / 1024.0);

        // The panel: a rounded square with a light-to-dark fall, like a lit screen.
        g.setPaint(new GradientPaint(0, 40, TOP, 0, 984, BOTTOM));
        g.fill(new RoundRectangle2D.Double(40, 40, 944, 944, 200, 200));

        // The prompt: a chevron and a cursor.
        g.setColor(PROMPT);
        g.setStroke(new BasicStroke(64, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D chevron = new Path2D.Double();
        chevron.moveTo(170, 180);
        chevron.lineTo(290, 270);
        chevron.lineTo(170, 360);
        g.draw(chevron);
        g.fill(new RoundRectangle2D.Double(350, 310, 190, 56, 28, 28));

        // Three workload rows: a status dot and a line of text each.
        Color[] states = {OK, OK, WARN};
        for (int i = 0; i < 3; i++) {
            double y = 450 + i * 170;
            g.setColor(ROW);
            g.fill(new RoundRectangle2D.Double(140, y, 744, 130, 60, 60));
            g.setColor(states[i]);
            g.fill(new Ellipse2D.Double(178, y + 27, 76, 76));
            g.setColor(TEXT);
            double length = i == 2 ? 300 : 440 - i * 90;
            g.fill(new RoundRectangle2D.Double(300, y + 45, length, 40, 40, 40));
        }
        g.dispose();
        return image;
    }

    static byte[] png(int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(draw(size), "png", out);
        return out.toByteArray();
    }

    /** A Windows icon holding PNG images (supported since Windows Vista). */
    static byte[] ico(int... sizes) throws IOException {
        List<byte[]> images = new ArrayList<>();
        for (int size : sizes) {
            images.add(png(size));
        }
        ByteBuffer header = ByteBuffer.allocate(6 + 16 * sizes.length).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort((short) 0).putShort((short) 1).putShort((short) sizes.length);
        int offset = 6 + 16 * sizes.length;
        for (int i = 0; i < sizes.length; i++) {
            int s = sizes[i] >= 256 ? 0 : sizes[i];
            header.put((byte) s).put((byte) s).put((byte) 0).put((byte) 0);
            header.putShort((short) 1).putShort((short) 32);
            header.putInt(images.get(i).length).putInt(offset);
            offset += images.get(i).length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.array());
        for (byte[] image : images) {
            out.write(image);
        }
        return out.toByteArray();
    }

    /** A macOS icon set holding PNG images: ic07 128, ic08 256, ic09 512, ic10 1024 (512@2x). */
    static byte[] icns() throws IOException {
        Map<String, Integer> types = new LinkedHashMap<>();
        types.put("ic07", 128);
        types.put("ic08", 256);
        types.put("ic09", 512);
        types.put("ic10", 1024);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream entries = new DataOutputStream(body);
        for (Map.Entry<String, Integer> t : types.entrySet()) {
            byte[] image = png(t.getValue());
            entries.writeBytes(t.getKey());
            entries.writeInt(8 + image.length);
            entries.write(image);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream file = new DataOutputStream(out);
        file.writeBytes("icns");
        file.writeInt(8 + body.size());
        file.write(body.toByteArray());
        return out.toByteArray();
    }
}
