#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# config.sh TREE OBJ FRAGMENT...
#
# The one config recipe: tinyconfig + kvm_guest.config + our fragments via
# merge_config.sh, then check that every symbol a fragment asks for really
# is in the final .config: Kconfig silently drops symbols whose
# dependencies are not met. CONFIG_VERIFY=0 skips the check (a commit of
# the series that has no such symbol yet; a fragment that turns off what
# an earlier one asked for).
set -euo pipefail
tree=$1 obj=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$obj"
"$here/kmake.sh" "$tree" "$obj" tinyconfig >/dev/null
(cd "$tree" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m -O "$obj" \
	"$obj/.config" kernel/configs/kvm_guest.config "$@" >/dev/null)
"$here/kmake.sh" "$tree" "$obj" olddefconfig >/dev/null
[ "${CONFIG_VERIFY:-1}" = 0 ] && exit 0

bad=0
for frag in "$@"; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			if ! grep -qxF "$line" "$obj/.config"; then
				have=$(grep -E "^(# )?${line%%=*}[= ]" "$obj/.config" || echo "absent")
				echo "config: $(basename "$frag") asks for $line, got: $have" >&2
				bad=1
			fi ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			if grep -q "^$sym=" "$obj/.config"; then
				echo "config: $(basename "$frag") asks for $sym unset, got: $(grep "^$sym=" "$obj/.config")" >&2
				bad=1
			fi ;;
		esac
	done < "$frag"
done
[ $bad -eq 0 ] || exit 1
echo "config: $obj/.config has every requested symbol"
