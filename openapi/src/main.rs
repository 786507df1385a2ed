//! `vitrina-openapi`: prints the API's OpenAPI document (`make openapi` writes it to
//! `docs/openapi.json`); `vitrina-openapi --schemas DIR` writes the internal contracts' JSON
//! Schemas under DIR (`docs/schemas`), and removes the files of schemas that are no more.

use std::{fs, path::Path};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => print!("{}", vitrina_openapi::json()),
        [flag, dir] if flag == "--schemas" => {
            let dir = Path::new(dir);
            for sub in ["functions", "messages"] {
                let _ = fs::remove_dir_all(dir.join(sub));
                fs::create_dir_all(dir.join(sub))?;
            }
            for (name, schema) in vitrina_openapi::schemas::all() {
                fs::write(
                    dir.join(format!("{name}.json")),
                    vitrina_openapi::schemas::text(&schema),
                )?;
            }
        }
        _ => {
            eprintln!("usage: vitrina-openapi [--schemas DIR]");
            std::process::exit(2);
        }
    }
    Ok(())
}
