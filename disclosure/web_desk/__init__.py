"""The agencies' disclosure desk in the web UI (公示管理, 信用修复, 企业信用):
pages over disclosure/services.py, mounted by casehub/web/urls.py in the
``web`` namespace."""
