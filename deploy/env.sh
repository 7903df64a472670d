# Sourced by manage.sh and restore.sh: where the app is, with its settings exported.
app="$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
root="${app%/opt/backpain/app}" # empty on a server; a test's directory otherwise
python="$root/opt/backpain/venv/bin/python"
while IFS= read -r line; do
    if [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]]; then export "${line?}"; fi
done <"$root/etc/backpain/backpain.env"
cd /
