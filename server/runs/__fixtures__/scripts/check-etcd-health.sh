#!/usr/bin/env bash
# Test stand-in: the later verify steps succeed quietly.
echo "check-etcd-health.sh ok"
