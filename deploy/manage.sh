#!/usr/bin/env bash
# manage.py as the app's user, with the app's settings. install.sh links it as
# /usr/local/bin/backpain-manage:  sudo backpain-manage createsuperuser
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/env.sh"
exec runuser -u "$BACKPAIN_USER" -- "$python" "$app/manage.py" "$@"
