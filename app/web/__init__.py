"""The shell of the pages: layout, dashboard, error page, stylesheet."""
