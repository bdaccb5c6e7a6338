"""The working-day calendar: counting (workdays), official data (official), the
Admin's pasted lists (paste), storing a year (store) and the publication signal."""
