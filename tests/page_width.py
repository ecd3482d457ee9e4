"""Print the width (CSS px) an HTML page needs in a 1200 px wide browser window, rendered by
QtWebKit (the engine QGIS's own help browser has): the page's width or the right edge of its
widest table, whichever is larger (a table scrolled inside a box counts whole).
``python3 page_width.py PAGE.html``."""

import sys

from qgis.PyQt.QtCore import QSize, QUrl
from qgis.PyQt.QtWebKitWidgets import QWebPage
from qgis.PyQt.QtWidgets import QApplication

WINDOW_PX = 1200
RIGHT_EDGE = """(function () {
  var right = 0, all = document.getElementsByTagName('table');
  for (var i = 0; i < all.length; i++) {
    var box = all[i].getBoundingClientRect();
    right = Math.max(right, box.left + Math.max(box.width, all[i].scrollWidth));
  }
  return right;
})()"""


def main(path):
    app = QApplication(sys.argv[:1])
    page = QWebPage()
    page.setViewportSize(QSize(WINDOW_PX, 900))

    def loaded(ok):
        frame = page.mainFrame()
        widest = frame.evaluateJavaScript(RIGHT_EDGE)
        print(max(frame.contentsSize().width(), int(widest)) if ok else -1, flush=True)
        app.quit()

    page.loadFinished.connect(loaded)
    page.mainFrame().load(QUrl.fromLocalFile(path))
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1])
