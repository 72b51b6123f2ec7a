from vnocr.cli import main

raise SystemExit(main())
