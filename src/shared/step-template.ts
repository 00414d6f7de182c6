// The code a new step starts from: it already follows the protocol (read --variables-file, log to
// stderr, print one JSON object on stdout), so a person only fills in the middle.
export const STEP_TEMPLATE = `#!/usr/bin/env python3
import json
import sys


def main():
    variables = {}
    if '--variables-file' in sys.argv:
        idx = sys.argv.index('--variables-file')
        if idx + 1 < len(sys.argv):
            with open(sys.argv[idx + 1], 'r', encoding='utf-8') as f:
                variables = json.load(f)

    print(f"Variables: {list(variables.keys())}", file=sys.stderr)

    try:
        # Your work goes here. Read inputs from \`variables\`, log with print(..., file=sys.stderr).
        result = {"status": "success"}
        print(json.dumps(result, ensure_ascii=False))
    except Exception as e:
        print(f"Error: {e}", file=sys.stderr)
        print(json.dumps({"status": "error", "error": str(e)}, ensure_ascii=False))
        sys.exit(1)


if __name__ == "__main__":
    main()
`
