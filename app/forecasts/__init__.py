"""The cash forecast: when open receivables turn into cash, per invoice and per week; its
backtest and its record."""
