#!/usr/bin/env bash
# How long one `presence tickets` call takes, after one build: the median of 10 calls of
#   before: dotnet run --project src/Cli -- tickets   (the README's old form: an up-to-date check and build each time)
#   after:  the Release apphost (src/Cli/bin/Release/net10.0/presence, what a PATH entry points at)
#           and the installed tool (.tools/presence, when `dotnet pack` + `dotnet tool update --tool-path .tools` ran)
# against an Azurite of its own (in memory, a free port) seeded with samples/tickets.json, so no call starts one.
# Prints a table and writes it to bench/results/cli-startup.md. Needs `npm ci` first.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
runs=${RUNS:-10}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort "$port" --inMemoryPersistence \
  --skipApiVersionCheck --disableTelemetry --silent >/dev/null 2>&1 &
azurite=$!
trap 'kill $azurite 2>/dev/null' EXIT
deadline=$((SECONDS + 30))
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
  kill -0 "$azurite" 2>/dev/null || { echo "Azurite exited before it listened: run npm ci first." >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "Azurite did not listen on $port within 30 s." >&2; exit 1; }
  sleep 0.2
done

key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='  # Azurite's published key
export PresenceStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;TableEndpoint=http://127.0.0.1:$port/devstoreaccount1;"

echo "Building (Debug for dotnet run, Release for the apphost) ..." >&2
dotnet build src/Cli -v q -nologo >/dev/null
dotnet build src/Cli -c Release -v q -nologo >/dev/null
apphost=src/Cli/bin/Release/net10.0/presence
"$apphost" seed samples/tickets.json >/dev/null

# The median of $runs wall-clock seconds of one command, its output discarded.
median() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" tickets >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f", m }'
}

rows=("| \`dotnet run --project src/Cli -- tickets\` (before) | $(median dotnet run --project src/Cli --) s |")
rows+=("| \`presence tickets\`, the Release apphost on PATH | $(median "$apphost") s |")
if [[ -x .tools/presence ]]; then
  rows+=("| \`presence tickets\`, the tool installed in .tools | $(median .tools/presence) s |")
fi

{
  echo "Median wall-clock time of $runs \`presence tickets\` calls (14 tickets, Azurite already running), $(nproc) cores, $(date -u +%Y-%m-%d):"
  echo
  echo "| command | median |"
  echo "|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee bench/results/cli-startup.md
