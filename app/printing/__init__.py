"""Printing: approved label templates, print jobs with their history, Zebra printers, and the A4 documents."""
