package fleet.console.ui.shell;

import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of the help overlay: the keys, what they do, and where. The menus are the source of the
 * window's shortcuts (every accelerator is listed as its menu shows it), so the list cannot drift
 * from what the keys do; keys that no menu carries are added by name.
 *
 * @param where the menu the command is in, or where the keys work ("Anywhere", "Pods")
 */
public record Shortcut(String keys, String action, String where) {

    /** Keys of the shell that no menu item carries. */
    public static final List<Shortcut> SHELL_KEYS = List.of(
            new Shortcut("?", "Show or hide this list of shortcuts", "Anywhere"),
            new Shortcut("Esc", "Close this list, the search or the welcome view", "Anywhere"));

    /** Keys the areas' own views handle, listed under where they work. */
    public static final List<Shortcut> AREA_KEYS = java.util.stream.Stream.of(
            where("Logs", fleet.console.ui.logs.LogView.KEYS),
            where("NATS", fleet.console.ui.nats.NatsView.KEYS),
            where("Pod diagnosis", fleet.console.ui.diagnosis.DiagnosisView.KEYS))
            .flatMap(List::stream).toList();

    private static List<Shortcut> where(String where, List<fleet.console.ui.common.AreaKey> keys) {
        return keys.stream().map(k -> new Shortcut(k.display(), k.action(), where)).toList();
    }

    /** Every accelerator of the menu bar's menus (submenus included), in menu order, then the extra keys. */
    public static List<Shortcut> collect(MenuBar bar, List<Shortcut> extra) {
        List<Shortcut> out = new ArrayList<>();
        for (Menu menu : bar.getMenus()) {
            collect(menu, plain(menu.getText()), out);
        }
        out.addAll(extra);
        return out;
    }

    private static void collect(Menu menu, String where, List<Shortcut> out) {
        for (MenuItem item : menu.getItems()) {
            if (item instanceof Menu sub) {
                collect(sub, where, out);
            } else if (item.getAccelerator() != null) {
                out.add(new Shortcut(item.getAccelerator().getDisplayText(), plain(item.getText()), where));
            }
        }
    }

    /** A menu's text without its mnemonic marker ("_View" is "View"). */
    static String plain(String text) {
        return text == null ? "" : text.replace("_", "");
    }
}
