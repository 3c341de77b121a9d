"""The reports pages: dashboard.py, quarterly.py and annual.py; common.py holds
the selection form and worklist links they share."""
