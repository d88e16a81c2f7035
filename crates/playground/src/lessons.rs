//! Guided lessons: presets (a URL query each) with the words that explain what to look at.
//! `?lesson=<id>` opens one; parameters after it override the preset.

use crate::i18n::Lang;

pub struct Lesson {
    pub id: &'static str,
    pub en: Words,
    pub es: Words,
    /// The settings, as URL parameters (see [`crate::url`]).
    pub query: &'static str,
}

/// A lesson's title, and what to do and look for, in one language.
pub struct Words {
    pub title: &'static str,
    pub text: &'static str,
}

impl Lesson {
    pub fn words(&self, lang: Lang) -> &Words {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
        }
    }
}

pub const LESSONS: [Lesson; 11] = [
    Lesson {
        id: "dark-knowledge",
        en: Words {
            title: "1. Soft targets carry dark knowledge",
            text: "Pick an ambiguous example in the Dark knowledge panel. At T = 1 the teacher is almost sure of one class; \
               at T = 20 the same logits show which other classes it finds plausible (a 7 that resembles a 1). \
               That hidden similarity structure is what a label cannot carry and what the student learns from.",
        },
        es: Words {
            title: "1. Los objetivos suaves llevan conocimiento oscuro",
            text: "Elige un ejemplo ambiguo en el panel Conocimiento oscuro. Con T = 1 la maestra está casi segura de una clase; \
                   con T = 20 los mismos logits muestran qué otras clases le parecen plausibles (un 7 que se parece a un 1). \
                   Esa estructura de parecidos oculta es lo que una etiqueta no puede transmitir y de lo que aprende la alumna.",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=20&alpha=0.9&lr=0.003&budget=2000&epochs=10",
    },
    Lesson {
        id: "beats-labels",
        en: Words {
            title: "2. Distillation beats labels",
            text: "The 2015 MNIST result, scaled to a browser: a student 30 times smaller than the teacher, on 2,000 images. \
               Press Start: both students see the same images from the same starting weights; the distilled one \
               also sees the teacher's probabilities at T = 2, and ends about 1.5 points ahead (measured here: 92.0% vs 90.6%).",
        },
        es: Words {
            title: "2. La destilación gana a las etiquetas",
            text: "El resultado de 2015 en MNIST, a escala de navegador: una alumna 30 veces más pequeña que la maestra, con 2.000 imágenes. \
                   Pulsa Empezar: las dos alumnas ven las mismas imágenes desde los mismos pesos iniciales; la destilada ve además \
                   las probabilidades de la maestra con T = 2 y termina unos 1,5 puntos por delante (medido aquí: 92,0 % frente a 90,6 %).",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=2&alpha=0.5&lr=0.01&batch=64&budget=2000&epochs=20",
    },
    Lesson {
        id: "temperature",
        en: Words {
            title: "3. Temperature and student size",
            text: "Press Run sweep: a tiny student (30-30 hidden units) and a large one (800-800) are each distilled at \
               T = 1, 2, 3, 4, 8 and 20. The paper found T between 2.5 and 4 best for 30 units, while for 300 units \
               and more any T above 8 did about equally well: a small student cannot fit all the dark knowledge, so \
               a moderate T that hides the faintest hints helps it. Measured here (CPU, 60 s): 30-30 peaks at T = 4 (87.3%) and \
               drops at T = 20 (84.4%); 800-800 does best at T = 8 (93.5%) and stays within a point from T = 3 to 20.",
        },
        es: Words {
            title: "3. Temperatura y tamaño de la alumna",
            text: "Pulsa Lanzar el barrido: una alumna diminuta (30-30 unidades ocultas) y una grande (800-800) se destilan con \
                   T = 1, 2, 3, 4, 8 y 20. El artículo encontró que T entre 2,5 y 4 era lo mejor para 30 unidades, mientras que con \
                   300 unidades o más cualquier T por encima de 8 daba casi lo mismo: una alumna pequeña no puede absorber todo el \
                   conocimiento oscuro, y una T moderada que oculta las pistas más débiles la ayuda. Medido aquí (CPU, 60 s): la 30-30 alcanza su máximo con \
                   T = 4 (87,3 %) y cae con T = 20 (84,4 %); la 800-800 da lo mejor con T = 8 (93,5 %) y no se aleja más de un punto \
                   entre T = 3 y 20.",
        },
        query: "teacher=mnist-mlp&student=mlp:30-30&mode=soft&alpha=0.9&lr=0.01&batch=64&budget=2000&epochs=5\
                &sweep=t:1,2,3,4,8,20&by=student:mlp:30-30,mlp:800-800",
    },
    Lesson {
        id: "missing-digit",
        en: Words {
            title: "4. The missing digit",
            text: "The transfer set contains no 3 at all. Labels alone can never predict a 3 (row 3 of its confusion matrix \
               stays empty). The distilled student has never seen a 3 either, yet it recognises some: the teacher's soft \
               targets on other digits (a 5 or an 8 that looks a little like a 3) taught it what a 3 is. When the run \
               ends, slide the class-3 bias shift (the paper used +3.5) and count how many more 3s come right.",
        },
        es: Words {
            title: "4. El dígito ausente",
            text: "El conjunto de transferencia no contiene ningún 3. Las etiquetas solas nunca pueden predecir un 3 (la fila 3 de su \
                   matriz de confusión queda vacía). La alumna destilada tampoco ha visto nunca un 3 y aun así reconoce algunos: los \
                   objetivos suaves de la maestra sobre otros dígitos (un 5 o un 8 que se parece un poco a un 3) le enseñaron cómo es \
                   un 3. Al terminar, mueve el desplazamiento del sesgo de la clase 3 (el artículo usó +3,5) y cuenta cuántos 3 más acierta.",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=8&alpha=0.9&lr=0.003&batch=64&budget=5000&epochs=10&exclude=3",
    },
    Lesson {
        id: "less-data",
        en: Words {
            title: "5. Better with less data",
            text: "Press Run sweep: the same student learns from 1%, 10% and 100% of the transfer set (50, 500 and 5,000 \
               images; every run takes the same number of steps), once from the teacher's soft targets and once from \
               labels alone. With soft targets each example carries ten numbers instead of one. Measured here (CPU, 30 s): \
               soft targets lead at every size, 60.0% vs 58.5% on 50 images, 84.9% vs 83.8% on 500, 93.4% vs 92.4% on 5,000.",
        },
        es: Words {
            title: "5. Mejor con menos datos",
            text: "Pulsa Lanzar el barrido: la misma alumna aprende con el 1 %, el 10 % y el 100 % del conjunto de transferencia (50, 500 \
                   y 5.000 imágenes; todas las ejecuciones dan el mismo número de pasos), una vez con los objetivos suaves de la maestra \
                   y otra solo con etiquetas. Con objetivos suaves cada ejemplo aporta diez números en lugar de uno. Medido aquí (CPU, \
                   30 s): los objetivos suaves van por delante en todos los tamaños, 60,0 % frente a 58,5 % con 50 imágenes, 84,9 % \
                   frente a 83,8 % con 500 y 93,4 % frente a 92,4 % con 5.000.",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=2&alpha=0.5&lr=0.01&batch=64&budget=5000&epochs=8\
                &sweep=budget:50,500,5000&by=mode:soft,labels",
    },
    Lesson {
        id: "black-box",
        en: Words {
            title: "6. Black box: what an API's answers are worth",
            text: "An API answers each query with the teacher's full probabilities (white box, soft), its top-3 \
               probabilities, or only its top label. Press Run sweep: for budgets of 250 to 4,000 queries, the chart \
               draws test accuracy against the number of queries for each kind of answer, and for labels alone. \
               Measured here (CPU, about 2 minutes): full and top-3 probabilities lead labels at every budget (80.2% and \
               80.1% vs 77.7% at 250 queries, 93.1% and 93.3% vs 92.4% at 4,000); a top-1 label is worth about as much as a \
               true label (78.5% at 250, 93.0% at 4,000): the dark knowledge is in the probabilities.",
        },
        es: Words {
            title: "6. Caja negra: lo que valen las respuestas de una API",
            text: "Una API responde a cada consulta con las probabilidades completas de la maestra (caja blanca, suave), sus tres \
                   probabilidades mayores o solo su etiqueta más probable. Pulsa Lanzar el barrido: para presupuestos de 250 a 4.000 \
                   consultas, la gráfica dibuja la exactitud en prueba frente al número de consultas para cada tipo de respuesta, y \
                   para las etiquetas solas. Medido aquí (CPU, unos 2 minutos): las probabilidades completas y las tres mayores van \
                   por delante de las etiquetas con cualquier presupuesto (80,2 % y 80,1 % frente a 77,7 % con 250 consultas; 93,1 % \
                   y 93,3 % frente a 92,4 % con 4.000); una etiqueta top-1 vale más o menos lo mismo que una etiqueta verdadera \
                   (78,5 % con 250, 93,0 % con 4.000): el conocimiento oscuro está en las probabilidades.",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=2&alpha=0.5&lr=0.01&batch=64&budget=4000&epochs=8\
                &sweep=budget:250,500,1000,2000,4000&by=mode:soft,top3,top1,labels",
    },
    Lesson {
        id: "asking-questions",
        en: Words {
            title: "7. Asking the right questions",
            text: "A copier sees only the API's top label, and each answer costs it a query. It asks in rounds: 100 images \
               at random, it trains, then it picks the next 100 among the images it has not asked about: at random, the ones \
               its student is least sure of (uncertainty), or ones unlike those already asked (diversity). Press Run sweep \
               for budgets of 100, 300 and 1,000 queries. Measured here (CPU): all three have 69.7% after the first, random \
               round; at 300 queries uncertainty has 86.2%, diversity 81.5%, random 79.0%; at 1,000, 92.9%, 87.6% and 88.3%. \
               Asking about its own doubts, the copier reaches 90% after 800 queries; at random it needs 1,400. Set Questions \
               to uncertainty and press Start to watch the query counter and a point per round.",
        },
        es: Words {
            title: "7. Hacer las preguntas adecuadas",
            text: "Una copiadora solo ve la etiqueta más probable que da la API, y cada respuesta le cuesta una consulta. Pregunta \
                   por rondas: 100 imágenes al azar, entrena, y elige las 100 siguientes entre las imágenes por las que aún no ha \
                   preguntado: al azar, aquellas de las que su alumna está menos segura (incertidumbre) o las que menos se parecen \
                   a las ya preguntadas (diversidad). Pulsa Lanzar el barrido para presupuestos de 100, 300 y 1.000 consultas. \
                   Medido aquí (CPU): las tres tienen un 69,7 % tras la primera ronda, al azar; con 300 consultas la incertidumbre \
                   llega al 86,2 %, la diversidad al 81,5 % y el azar al 79,0 %; con 1.000, al 92,9 %, 87,6 % y 88,3 %. Preguntando \
                   por sus propias dudas, la copiadora alcanza el 90 % tras 800 consultas; al azar necesita 1.400. Elige \
                   incertidumbre en Preguntas y pulsa Empezar para ver el contador de consultas y un punto por ronda.",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=top1&t=4&alpha=0.9&lr=0.003&batch=64&epochs=30&budget=1000\
                &queries=random&first=100&round=100&sweep=budget:100,300,1000&by=queries:random,uncertainty,diversity",
    },
    Lesson {
        id: "defending-the-teacher",
        en: Words {
            title: "8. Defending the teacher",
            text: "The teacher's owner chooses what its API returns. Press Run sweep: noise from σ = 0 to 0.5 is added to the \
               probabilities, for a copier that trains on them (soft) and for one that keeps only the top label (top1); the \
               Honest user column is the teacher's accuracy as a paying user sees it through the same noise. Measured here \
               (CPU, 1,000 queries): σ = 0.1 costs the honest user 0.1 points (99.2%) and the soft copier 6 (80.1% instead of \
               86.4%), but the copier who keeps only the top label loses nothing (87.1%) until the noise hurts honest users \
               too (σ = 0.3: 82.2% for the copy, 94.0% for the user). Under The teacher's API, try the other defences: rounding \
               to fewer decimals costs this copier nothing; a quota of 300 queries per user stops the copy at 79.9%, and \
               answering at random past it poisons the copy (52.2%), but a copier can open many accounts. Open questions: \
               terms of service may forbid training on an API's answers, but whether answers can be protected, by contract \
               or by law, is unsettled; watermarks hidden in the answers may let an owner recognise a copy, at some cost \
               in quality; and every defence that slows a copier costs some honest users something.",
        },
        es: Words {
            title: "8. Defender a la maestra",
            text: "Quien es dueño de la maestra decide qué devuelve su API. Pulsa Lanzar el barrido: se añade ruido de σ = 0 a 0,5 \
                   a las probabilidades, para una copiadora que entrena con ellas (suave) y para otra que solo se queda con la \
                   etiqueta más probable (top1); la columna Usuario honesto es la exactitud de la maestra tal como la ve un usuario \
                   de pago a través del mismo ruido. Medido aquí (CPU, 1.000 consultas): σ = 0,1 le cuesta al usuario honesto 0,1 \
                   puntos (99,2 %) y a la copiadora suave 6 (80,1 % en lugar de 86,4 %), pero la que solo guarda la etiqueta más \
                   probable no pierde nada (87,1 %) hasta que el ruido perjudica también a los usuarios honestos (σ = 0,3: 82,2 % \
                   para la copia, 94,0 % para el usuario). En La API de la maestra, prueba las otras defensas: redondear a menos \
                   decimales no le cuesta nada a esta copiadora; un cupo de 300 consultas por usuario detiene la copia en el \
                   79,9 %, y responder al azar pasado el cupo envenena la copia (52,2 %), pero una copiadora puede abrir muchas \
                   cuentas. Preguntas abiertas: las condiciones de uso pueden prohibir entrenar con las respuestas de una API, pero \
                   si las respuestas se pueden proteger, por contrato o por ley, sigue sin resolverse; las marcas de agua ocultas \
                   en las respuestas podrían permitir reconocer una copia, a costa de algo de calidad; y toda defensa que frena a \
                   una copiadora le cuesta algo a algún usuario honesto.",
        },
        query: "teacher=mnist-mlp&student=mlp:100&mode=soft&t=4&alpha=0.9&lr=0.003&batch=64&epochs=30&budget=1000\
                &sweep=noise:0,0.05,0.1,0.2,0.3,0.5&by=mode:soft,top1",
    },
    Lesson {
        id: "need-the-data",
        en: Words {
            title: "9. Do you even need the data?",
            text: "A copier who owns none of the teacher's images can still ask about something. Press Run sweep: the digit \
               teacher (a CNN) answers 5,000 questions about its own training images, about 5,000 pictures of clothes from \
               Fashion-MNIST, or about 5,000 random pen strokes the page draws itself; one student trains on the soft \
               answers, another on the top label alone. Measured here (CPU): from the teacher's own images the copy reaches \
               95.7%; from scribbles, without seeing a single digit, 82.8%; from clothes, 43.5%. Strokes look like pen on \
               paper, and the teacher spreads its answers about them over all ten digits (its most frequent answer is given \
               to 19% of them, against 44% of the clothes). Away from the teacher's data the soft answers matter much more: \
               the top label alone gives 69.5% from strokes, 13.3 points less, against 93.4% from its own images. As Knockoff \
               Nets (Orekondy et al., 2019) found, a copier needs questions from near the teacher's world, not the teacher's \
               data. Those images have no true labels: press Start to see the labels-only student learn the teacher's top \
               labels about strokes.",
        },
        es: Words {
            title: "9. ¿Hacen falta los datos?",
            text: "Una copiadora que no tiene ni una imagen de la maestra aún puede preguntar por algo. Pulsa Lanzar el barrido: \
                   la maestra de dígitos (una CNN) responde 5.000 preguntas sobre sus propias imágenes de entrenamiento, sobre \
                   5.000 fotos de ropa de Fashion-MNIST o sobre 5.000 trazos de lápiz al azar que dibuja la propia página; una \
                   alumna entrena con las respuestas suaves y otra solo con la etiqueta más probable. Medido aquí (CPU): con las \
                   imágenes de la maestra la copia llega al 95,7 %; con garabatos, sin ver un solo dígito, al 82,8 %; con ropa, \
                   al 43,5 %. Los trazos parecen lápiz sobre papel, y la maestra reparte sus respuestas sobre ellos entre los diez \
                   dígitos (su respuesta más frecuente la da para el 19 % de ellos, frente al 44 % de la ropa). Lejos de los datos \
                   de la maestra, las respuestas suaves importan mucho más: la etiqueta sola da un 69,5 % con trazos, 13,3 puntos \
                   menos, frente al 93,4 % con sus propias imágenes. Como vio Knockoff Nets (Orekondy et al., 2019), a quien copia \
                   le hacen falta preguntas cercanas al mundo de la maestra, no los datos de la maestra. Esas imágenes no tienen \
                   etiquetas verdaderas: pulsa Empezar para ver cómo la alumna de solo etiquetas aprende las etiquetas más \
                   probables que la maestra da a los trazos.",
        },
        query: "teacher=mnist-cnn&student=mlp:100&mode=soft&t=4&alpha=0.9&lr=0.01&batch=64&epochs=20&budget=5000&ask=strokes\
                &sweep=ask:own,other,strokes&by=mode:soft,top1",
    },
    Lesson {
        id: "dark-knowledge-in-text",
        en: Words {
            title: "10. Dark knowledge in text",
            text: "The same idea on a language model. The students are tiny character-level models that learn to spell \
               English words one next letter at a time; the teacher is a 123k-parameter one trained on 57,490 words. Type \
               \"th\" in the next-letter box: the single right answer of a real word is one letter, but the teacher spreads \
               its belief over r (28%), e (23%), i (20%), u, o and a: which letters English allows there, and how often. Press Start: both \
               students read the same 1,000 words for 30 passes; the distilled one is also shown the teacher's whole \
               distribution at every letter. It ends far ahead in bits per character on words neither saw (measured: 3.25 \
               against 3.59; the teacher 2.48, a guess 4.75): the words alone are learnt by heart, the teacher's \
               distribution generalises. Compare the words each invents.",
        },
        es: Words {
            title: "10. Conocimiento oscuro en el texto",
            text: "La misma idea en un modelo de lenguaje. Las alumnas son modelos diminutos que aprenden a escribir palabras \
                   inglesas letra a letra; la maestra tiene 123.000 parámetros y aprendió de 57.490 palabras. Escribe \"th\" en \
                   el recuadro de la letra siguiente: la única respuesta correcta de una palabra real es una letra, pero la \
                   maestra reparte su creencia entre r (28 %), e (23 %), i (20 %), u, o y a: qué letras admite el inglés ahí y con \
                   qué frecuencia. \
                   Pulsa Empezar: las dos alumnas leen las mismas 1.000 palabras 30 veces; a la destilada se le muestra además \
                   la distribución entera de la maestra en cada letra. Termina muy por delante en bits por carácter sobre \
                   palabras que ninguna vio (medido: 3,25 frente a 3,59; la maestra 2,48, adivinar 4,75): las palabras solas se \
                   aprenden de memoria, la distribución de la maestra generaliza. Compara las palabras que inventa cada una.",
        },
        query: "task=words&teacher=words-en&student=mlp:64&mode=soft&t=1&alpha=0.9&lr=0.003&batch=64&budget=1000&epochs=30",
    },
    Lesson {
        id: "logits-or-text",
        en: Words {
            title: "11. Logits or text?",
            text: "What a copier gets for the same 1,000 questions. This run's student learns only from words the teacher \
               wrote, as hard next letters, and never sees a real word: the recipe of the open \"R1-distill\" models, \
               fine-tuned on text a large model generated. Press Start, then switch What the student sees to top-8 (the \
               teacher's 8 likeliest next letters, what pipelines cache for large models), then to soft (all of it), \
               starting each: the results table keeps every run. Measured here, bits per character on test words: the \
               teacher's text 3.58, the real words alone 3.59, its top 8 letters 3.39, its whole distribution 3.25, its \
               top letter alone 4.44 (it agrees with the teacher most, and is sure of itself where it should not be). \
               Text buys as much as real words, with no data of one's own; probabilities buy much more, per question.",
        },
        es: Words {
            title: "11. ¿Logits o texto?",
            text: "Lo que obtiene quien copia por las mismas 1.000 preguntas. En esta ejecución la alumna aprende solo de \
                   palabras que escribió la maestra, como letras siguientes sin matices, y nunca ve una palabra real: la receta \
                   de los modelos abiertos \"R1-distill\", afinados con texto que generó un modelo grande. Pulsa Empezar, luego \
                   cambia Lo que la alumna ve de la maestra a top-8 (las 8 letras siguientes más probables, lo que se guarda de \
                   los modelos grandes) y después a suave (todo), empezando cada vez: la tabla de resultados guarda todas las \
                   ejecuciones. Medido aquí, bits por carácter en palabras de prueba: el texto de la maestra 3,58, las palabras \
                   reales solas 3,59, sus 8 letras más probables 3,39, su distribución entera 3,25, solo su letra más probable \
                   4,44 (coincide más con la maestra y está segura donde no debería). El texto da tanto como las palabras \
                   reales, sin datos propios; las probabilidades dan mucho más por pregunta.",
        },
        query: "task=words&teacher=words-en&student=mlp:64&mode=text&t=1&alpha=0.9&lr=0.003&batch=64&budget=1000&epochs=30",
    },
];

pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::Link;

    #[test]
    fn every_lesson_is_a_valid_experiment() {
        for lesson in &LESSONS {
            let (state, notices) = Link::from_query(lesson.query);
            assert!(notices.is_empty(), "{}: {notices:?}", lesson.id);
            state.settings.check().unwrap_or_else(|e| panic!("{}: {e}", lesson.id));
            if let Some(sweep) = &state.sweep {
                sweep.points(&state.settings, 5000).unwrap_or_else(|e| panic!("{}: {e}", lesson.id));
            }
            assert!(!lesson.query.contains("lesson="), "a preset does not name a lesson");
        }
    }

    #[test]
    fn a_lesson_link_opens_the_preset_and_later_parameters_win() {
        let (state, notices) = Link::from_query("?lesson=missing-digit&seed=5");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(state.lesson.as_deref(), Some("missing-digit"));
        assert_eq!(state.settings.train.excluded_class, Some(3));
        assert_eq!(state.settings.train.seed, 5);
        assert_eq!(Link::from_query(&state.to_query()).0, state, "round trip");
        let (state, notices) = Link::from_query("lesson=nope");
        assert_eq!(state.lesson, None);
        assert!(notices[0].text(Lang::En).contains("no lesson `nope`"), "{notices:?}");
    }
}
