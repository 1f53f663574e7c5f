#!/usr/bin/env bash
echo "check-monitoring-status.sh ok"
