"""(being written)"""

from PySide6.QtWidgets import QWidget


class PeopleTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)

    def refresh(self) -> None:
        pass
