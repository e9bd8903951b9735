#!/bin/bash
# Placeholder for targets whose issue has not landed yet.
echo "make $1: not implemented yet (see the open issues)" >&2
exit 1
