#!/usr/bin/env bash
# manage.py as the app's user, with the app's settings. install.sh links it as
# /usr/local/bin/backpain-manage:  sudo backpain-manage createsuperuser
set -euo pipefail
app="$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
root="${app%/opt/backpain/app}" # empty on a server; a test's directory otherwise
while IFS= read -r line; do
    if [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]]; then export "${line?}"; fi
done <"$root/etc/backpain/backpain.env"
cd /
exec runuser -u "$BACKPAIN_USER" -- "$root/opt/backpain/venv/bin/python" "$app/manage.py" "$@"
