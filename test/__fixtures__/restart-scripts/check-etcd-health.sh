#!/usr/bin/env bash
echo "check-etcd-health.sh ok"
