"""Moving between pages the way a keyboard user does, waiting for each page to arrive.

A plain `click()` on a link returns before the next page has loaded, so a
check made straight after it can read the page being left: the appraisal
test once counted the comparison's rows on the form bob had just saved.
Every step that leads to another page goes through `follow`.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def follow(page: Page, target: Locator) -> None:
    """Move to a link or button and press Enter, then wait for the page it leads to.

    From the keyboard: a mouse click at the link's place can land on the PDF
    viewer while it is still laying itself out in the frame above.
    """
    target.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
