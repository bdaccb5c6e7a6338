"""Signals of the calendar.

``calendar_year_published`` is sent with the year (an int) as sender, after the
commit that published or changed that year's official list, so listeners (the
case engine) can recompute the provisional due dates that run into it::

    @calendar_year_published.connect
    def recompute(year): ...
"""

from blinker import Namespace

calendar_signals = Namespace()

calendar_year_published = calendar_signals.signal("calendar-year-published")
