//! The interface in English and Spanish. Views write the English text and ask for it in the
//! page's language ([`tr`]); templates name their blanks (`{steps}`) so word order can change.
//! The language comes from `lang=` in the URL, else the browser's; a switch in the header changes it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    /// `es`, `es-MX`, `EN-gb`...; `None` for languages the page does not speak.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.split(['-', '_']).next()?.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }
}

/// `english` in `lang` (English when a translation is missing).
pub fn tr(lang: Lang, english: &'static str) -> &'static str {
    match lang {
        Lang::En => english,
        Lang::Es => SPANISH.iter().find(|(en, _)| *en == english).map(|(_, es)| *es).unwrap_or(english),
    }
}

/// A template with its `{name}` blanks filled.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

const SPANISH: &[(&str, &str)] = &[
    // Page
    ("Distill Playground", "Distill Playground"),
    ("A big teacher network was trained offline. Here, in your browser, a small student learns to imitate the teacher's full answers — not just the right label but how sure it is of every other one. Next to it, the same student learns from the labels alone. Press Start and watch which one wins.",
     "Una red maestra grande se entrenó de antemano. Aquí, en tu navegador, una red alumna pequeña aprende a imitar las respuestas completas de la maestra: no solo la etiqueta correcta, sino cuánta confianza tiene en cada una de las demás. A su lado, la misma alumna aprende solo de las etiquetas. Pulsa Empezar y mira cuál gana."),
    ("Everything runs in this page: the data and the teacher's outputs come from this site, nothing else is contacted. Idea: Hinton, Vinyals & Dean, Distilling the Knowledge in a Neural Network (2015).",
     "Todo se ejecuta en esta página: los datos y las salidas de la maestra vienen de este sitio y no se contacta con nada más. Idea: Hinton, Vinyals y Dean, Distilling the Knowledge in a Neural Network (2015)."),
    ("Language", "Idioma"),
    // Status
    ("Training status", "Estado del entrenamiento"),
    ("Starting…", "Iniciando…"),
    ("Loading the teacher's outputs… {percent}", "Cargando las salidas de la maestra… {percent}"),
    ("Ready: {steps} steps on {examples} examples. Press Start.", "Listo: {steps} pasos con {examples} ejemplos. Pulsa Empezar."),
    ("Training: step {step} of {steps}", "Entrenando: paso {step} de {steps}"),
    ("Paused: step {step} of {steps}", "En pausa: paso {step} de {steps}"),
    ("Finished: step {step} of {steps}", "Terminado: paso {step} de {steps}"),
    ("Stopped by an error", "Detenido por un error"),
    ("Backend: ", "Motor: "),
    ("Some settings in the link were not used: ", "Algunos ajustes del enlace no se usaron: "),
    ("Start", "Empezar"),
    ("Pause", "Pausa"),
    ("One step", "Un paso"),
    ("Reset", "Reiniciar"),
    // Controls
    ("Settings", "Ajustes"),
    ("Dataset", "Conjunto de datos"),
    ("MNIST: handwritten digits. Fashion-MNIST: photos of clothes, harder. 28×28 grey images, 10 classes.",
     "MNIST: dígitos escritos a mano. Fashion-MNIST: fotos de ropa, más difícil. Imágenes grises de 28×28, 10 clases."),
    ("Teacher", "Maestra"),
    ("The big network trained offline on the full dataset. Its outputs for every training image were saved; the students learn from those.",
     "La red grande entrenada de antemano con todos los datos. Se guardaron sus salidas para cada imagen de entrenamiento; las alumnas aprenden de ellas."),
    ("Student", "Alumna"),
    ("The small network trained here. mlp:100 is one hidden layer of 100 units; cnn:8-16-64 is a small convolutional net.",
     "La red pequeña que se entrena aquí. mlp:100 es una capa oculta de 100 unidades; cnn:8-16-64 es una red convolucional pequeña."),
    ("What the student sees of the teacher", "Qué ve la alumna de la maestra"),
    ("White box: the full probability of every class. Black box: only what an API would return — the top label, or the top-k probabilities.",
     "Caja blanca: la probabilidad completa de cada clase. Caja negra: solo lo que devolvería una API, la etiqueta más probable o las k probabilidades mayores."),
    ("Temperature T", "Temperatura T"),
    ("Divides the teacher's logits before the softmax. Higher T softens the probabilities and reveals which wrong classes the teacher finds plausible — the 'dark knowledge'. The soft loss is multiplied by T² so its gradients keep their size.",
     "Divide los logits de la maestra antes del softmax. Una T alta suaviza las probabilidades y revela qué clases incorrectas le parecen plausibles a la maestra: el «conocimiento oscuro». La pérdida suave se multiplica por T² para que sus gradientes conserven su tamaño."),
    ("T has no effect on a top-1 label or on labels alone.", "T no influye en una etiqueta top-1 ni en las etiquetas solas."),
    ("α (weight of the teacher)", "α (peso de la maestra)"),
    ("The loss is α × soft loss (match the teacher) + (1 − α) × hard loss (match the true label).",
     "La pérdida es α × pérdida suave (imitar a la maestra) + (1 − α) × pérdida dura (acertar la etiqueta verdadera)."),
    ("Learning rate", "Tasa de aprendizaje"),
    ("Step size of the Adam optimiser; it decays to zero along a cosine over the run. Too high and training diverges.",
     "Tamaño del paso del optimizador Adam; decae hasta cero siguiendo un coseno a lo largo del entrenamiento. Si es demasiado alta, el entrenamiento diverge."),
    ("Batch size", "Tamaño del lote"),
    ("Examples per optimiser step.", "Ejemplos por paso del optimizador."),
    ("Training length (epochs)", "Duración del entrenamiento (épocas)"),
    ("Passes over the transfer set.", "Pasadas sobre el conjunto de transferencia."),
    ("Query budget (training examples)", "Presupuesto de consultas (ejemplos de entrenamiento)"),
    ("How many training images the students get — and so how many times the teacher is asked. Both students see the same images.",
     "Cuántas imágenes de entrenamiento reciben las alumnas, y por tanto cuántas veces se consulta a la maestra. Las dos alumnas ven las mismas imágenes."),
    ("Missing class", "Clase ausente"),
    ("Leave every example of one class out of the transfer set. Labels alone can never learn it; the teacher's soft targets on other images still mention it.",
     "Quita del conjunto de transferencia todos los ejemplos de una clase. Las etiquetas solas nunca pueden aprenderla; los objetivos suaves de la maestra en otras imágenes aún la mencionan."),
    ("Seed", "Semilla"),
    ("Fixes the initial weights and the order of examples: the same seed gives the same curves on the same backend.",
     "Fija los pesos iniciales y el orden de los ejemplos: la misma semilla da las mismas curvas con el mismo motor."),
    ("Backend", "Motor"),
    ("WebGPU runs on your graphics card; the CPU backend is burn compiled to WebAssembly, one thread. Small students are often faster on the CPU.",
     "WebGPU usa tu tarjeta gráfica; el motor CPU es burn compilado a WebAssembly, en un hilo. Las alumnas pequeñas suelen ir más rápido en la CPU."),
    // Options and small words
    ("Soft targets (white box: all the teacher's logits)", "Objetivos suaves (caja blanca: todos los logits de la maestra)"),
    ("Teacher's top-1 label only (black box)", "Solo la etiqueta top-1 de la maestra (caja negra)"),
    ("Teacher's top-2 probabilities (black box)", "Las 2 probabilidades mayores de la maestra (caja negra)"),
    ("Teacher's top-3 probabilities (black box)", "Las 3 probabilidades mayores de la maestra (caja negra)"),
    ("Teacher's top-5 probabilities (black box)", "Las 5 probabilidades mayores de la maestra (caja negra)"),
    ("Labels only (no teacher)", "Solo etiquetas (sin maestra)"),
    ("Automatic (WebGPU if available)", "Automático (WebGPU si está disponible)"),
    ("WebGPU", "WebGPU"),
    ("CPU (wasm)", "CPU (wasm)"),
    ("none: every class is in the transfer set", "ninguna: todas las clases están en el conjunto de transferencia"),
    ("leave out every {name}", "quitar la clase {name}"),
    ("{parameters} parameters, {ratio} smaller than the teacher", "{parameters} parámetros, {ratio} más pequeña que la maestra"),
    ("Labels only", "Solo etiquetas"),
    (": rows are the true class, columns the prediction", ": filas, la clase verdadera; columnas, la predicción"),
    ("true \\ predicted", "verdadera \\ predicha"),
    ("accuracy", "exactitud"),
    ("download progress", "progreso de la descarga"),
    ("sweep progress", "progreso del barrido"),
    ("drawing area: draw a digit with a pointer", "zona de dibujo: dibuja un dígito con el puntero"),
    ("what the students see", "lo que ven las alumnas"),
    ("the chosen test image", "la imagen de prueba elegida"),
    ("Run", "Ejecución"),
    ("Curve", "Curva"),
    ("Point", "Punto"),
    ("Mode", "Modo"),
    ("Budget", "Presupuesto"),
    ("Epochs", "Épocas"),
    ("Steps", "Pasos"),
    ("Test accuracy", "Exactitud en prueba"),
    ("Agreement", "Acuerdo"),
    ("Seconds", "Segundos"),
    ("diverged", "divergió"),
    ("Save {name} ({size} kB)", "Guardar {name} ({size} kB)"),
    ("copied", "copiado"),
    // Headline
    ("Distilled student", "Alumna destilada"),
    ("Same student, labels only", "Misma alumna, solo etiquetas"),
    ("The two students are level.", "Las dos alumnas están empatadas."),
    ("Distillation is ahead by {points} points.", "La destilación va {points} puntos por delante."),
    ("Labels alone are ahead by {points} points.", "Las etiquetas solas van {points} puntos por delante."),
    ("Student: {parameters} parameters, {ratio} smaller than the teacher {teacher} ({teacher_parameters} parameters). Accuracy on {test_rows} test images; examples/s (both students): {speed}.",
     "Alumna: {parameters} parámetros, {ratio} más pequeña que la maestra {teacher} ({teacher_parameters} parámetros). Exactitud sobre {test_rows} imágenes de prueba; ejemplos/s (las dos alumnas): {speed}."),
    ("Test images of class {name}, which neither student ever saw: the distilled student gets {right} of {total} right, labels only {baseline}.",
     "Imágenes de prueba de la clase {name}, que ninguna alumna vio nunca: la alumna destilada acierta {right} de {total}, la de solo etiquetas {baseline}."),
    ("Add to the class-{name} logit (the paper used +3.5)", "Sumar al logit de la clase {name} (el artículo usó +3,5)"),
    ("With +{shift}: the distilled student gets {right} of {total} {name}s right ({accuracy} of all test images), labels only {baseline} ({baseline_accuracy}).",
     "Con +{shift}: la alumna destilada acierta {right} de {total} imágenes de {name} ({accuracy} de todas las de prueba), la de solo etiquetas {baseline} ({baseline_accuracy})."),
    // Panels
    ("Lessons", "Lecciones"),
    ("Test accuracy (%)", "Exactitud en prueba (%)"),
    ("Agreement with the teacher (%)", "Acuerdo con la maestra (%)"),
    ("Loss", "Pérdida"),
    ("Training-batch accuracy (%)", "Exactitud en el lote de entrenamiento (%)"),
    ("Throughput (examples/s, both students)", "Rendimiento (ejemplos/s, las dos alumnas)"),
    ("Make a PNG of the charts", "Hacer un PNG de las gráficas"),
    ("Sweep", "Barrido"),
    ("Sweep: test accuracy (%)", "Barrido: exactitud en prueba (%)"),
    ("Vary", "Variar"),
    ("One curve per", "Una curva por"),
    ("Run sweep", "Lanzar el barrido"),
    ("Stop sweep", "Detener el barrido"),
    ("Run {index} of {total}: step {step} of {steps}", "Ejecución {index} de {total}: paso {step} de {steps}"),
    ("Train one student per value of a setting, on top of the settings on the left, and plot test accuracy against it. Write setting:value,value,… with a setting among {settings}. Optionally draw one curve per value of a second setting. When the query budget varies, every run still trains on as many examples (a smaller set gets more epochs).",
     "Entrena una alumna por cada valor de un ajuste, sobre los ajustes de la izquierda, y dibuja la exactitud en prueba frente a él. Escribe ajuste:valor,valor,… con un ajuste entre {settings}. Opcionalmente, dibuja una curva por cada valor de un segundo ajuste. Si varía el presupuesto, cada ejecución entrena con los mismos ejemplos en total (un conjunto menor recibe más épocas)."),
    ("Draw a digit", "Dibuja un dígito"),
    ("Draw with the mouse, a finger or a pen; both students read it when you lift it. It works best on MNIST (the students learn digits there). The small image is what the students see.",
     "Dibuja con el ratón, un dedo o un lápiz; las dos alumnas lo leen al levantar el dedo o el puntero. Funciona mejor con MNIST (allí aprenden dígitos). La imagen pequeña es lo que ven las alumnas."),
    ("Clear", "Borrar"),
    ("Dark knowledge", "Conocimiento oscuro"),
    ("A label says only \"this is a 7\". The teacher's probabilities also say which other classes it resembles. At T = 1 those hints are tiny; a higher T makes them visible, and that is what the distilled student learns from. Pick an ambiguous example:",
     "Una etiqueta solo dice «esto es un 7». Las probabilidades de la maestra dicen además a qué otras clases se parece. Con T = 1 esas pistas son diminutas; una T más alta las hace visibles, y de eso aprende la alumna destilada. Elige un ejemplo ambiguo:"),
    ("True class: ", "Clase verdadera: "),
    ("Results", "Resultados"),
    ("One row per trained student: each finished run adds two (distilled and labels only), each sweep run one. The files hold every setting, so a row can be reproduced.",
     "Una fila por alumna entrenada: cada ejecución terminada añade dos (destilada y solo etiquetas), cada ejecución de un barrido una. Los archivos guardan todos los ajustes, así que cada fila se puede reproducir."),
    ("Download CSV", "Descargar CSV"),
    ("Download JSON", "Descargar JSON"),
    ("Student weights", "Pesos de la alumna"),
    ("Save the distilled student as a safetensors file (the format burn and PyTorch read), or load one saved here for the same student architecture.",
     "Guarda la alumna destilada como archivo safetensors (el formato que leen burn y PyTorch), o carga uno guardado aquí para la misma arquitectura."),
    ("Export weights (.safetensors)", "Exportar los pesos (.safetensors)"),
    ("Load weights… ", "Cargar pesos… "),
    ("Weights loaded into the distilled student; its scores below are re-measured.",
     "Pesos cargados en la alumna destilada; sus resultados se han vuelto a medir."),
    ("Share this experiment", "Comparte este experimento"),
    ("Link (every setting is in it)", "Enlace (lleva todos los ajustes)"),
    ("Copy link", "Copiar el enlace"),
    ("Embed in a course page (add hide=… or lock=… to the src to hide or freeze controls)",
     "Insértalo en la página de un curso (añade hide=… o lock=… al src para ocultar o bloquear controles)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_from_urls_and_browsers() {
        assert_eq!(Lang::parse("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        for lang in [Lang::En, Lang::Es] {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn templates_fill_and_translations_keep_their_blanks() {
        assert_eq!(fill("step {step} of {steps}", &[("step", "3".into()), ("steps", "9".into())]), "step 3 of 9");
        for (en, es) in SPANISH {
            let blanks = |s: &str| {
                let mut b: Vec<String> =
                    s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|p| p.0.into()).collect();
                b.sort();
                b
            };
            assert_eq!(blanks(en), blanks(es), "{en}");
        }
        assert_eq!(tr(Lang::Es, "Start"), "Empezar");
        assert_eq!(tr(Lang::En, "Start"), "Start");
    }

    /// The string literal that starts `source`, up to its first unescaped quote.
    fn literal(source: &str) -> String {
        let mut text = String::new();
        let mut chars = source.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => text.extend(chars.next()),
                '"' => break,
                c => text.push(c),
            }
        }
        text
    }

    /// Every text the views pass through the translator has a Spanish entry.
    #[test]
    fn every_translated_text_of_the_views_is_in_the_table() {
        let sources = [
            include_str!("ui/mod.rs"),
            include_str!("ui/controls.rs"),
            include_str!("ui/results.rs"),
            include_str!("ui/charts.rs"),
            include_str!("ui/sweep.rs"),
            include_str!("ui/draw.rs"),
            include_str!("ui/inspect.rs"),
            include_str!("ui/table.rs"),
            include_str!("ui/weights.rs"),
            include_str!("ui/share.rs"),
            include_str!("ui/lessons.rs"),
            include_str!("ui/confusion.rs"),
        ];
        let mut missing = Vec::new();
        for source in sources {
            for marker in [".t(\"", " label=\"", "aria-label=\"", " help=\"", " title=\""] {
                for part in source.split(marker).skip(1) {
                    let text = literal(part);
                    if !SPANISH.iter().any(|(en, _)| *en == text) {
                        missing.push(text);
                    }
                }
            }
        }
        assert!(missing.is_empty(), "no Spanish for: {missing:#?}");
    }
}
